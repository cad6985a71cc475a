/**
 * `buildGraph`: the snapshot in, the graph out. Pure: no I/O, no clock.
 */
import { resolveBackendRefs } from './backends.ts';
import { attachBackendTls, processBackendTLSPolicies } from './backendtls.ts';
import { resolveGatewayClientCertificates } from './gateway-tls.ts';
import { bindRoutesToListeners } from './attach.ts';
import { processGateways } from './gateway.ts';
import { processGatewayClasses } from './gatewayclass.ts';
import { applyGatewayParameters } from './parameters.ts';
import { processGRPCRoutes } from './grpcroute.ts';
import { processHTTPRoutes } from './httproute.ts';
import { compareStrings } from './keys.ts';
import { attachListenerSets } from './listenerset.ts';
import { indexSnapshot } from './lookup.ts';
import { recordReferences } from './references.ts';
import type { Snapshot } from './snapshot.ts';
import type { Graph, GraphDeps } from './types.ts';

/**
 * Resolves a snapshot into the graph. The order of the steps matters: Gateways need their
 * classes (only our classes' Gateways are kept), routes need the Gateways (only parentRefs to
 * ours are kept), and attachment comes last because a route refused for its rules must not
 * be counted in `attachedRoutes`.
 */
export function buildGraph(snapshot: Snapshot, deps: GraphDeps): Graph {
  const lookup = indexSnapshot(snapshot);
  const gatewayClasses = processGatewayClasses(
    snapshot.gatewayClasses,
    deps.controllerName,
    snapshot.gatewayParameters,
  );
  const gateways = processGateways(snapshot.gateways, gatewayClasses, deps.validators, lookup);
  // Parameters only narrow acceptance, so they come before anything reads `accepted`.
  applyGatewayParameters(gateways, gatewayClasses, snapshot.gatewayParameters);
  resolveGatewayClientCertificates(gateways, lookup);
  // ListenerSet listeners join their accepted Gateway's listeners before routes attach.
  attachListenerSets(gateways, snapshot.listenerSets ?? [], deps.validators, lookup);
  // GRPCRoutes are served as the HTTP rules they amount to (grpcroute.ts); keys never collide.
  const routes = new Map(
    [
      ...processHTTPRoutes(snapshot.httpRoutes, gateways, deps),
      ...processGRPCRoutes(snapshot.grpcRoutes ?? [], gateways, deps),
    ].sort(([a], [b]) => compareStrings(a, b)),
  );
  const upstreams = resolveBackendRefs(routes, lookup, deps.validators);
  bindRoutesToListeners(routes, gateways, lookup);
  const references = recordReferences(routes, gateways);
  // Policies need resolved upstreams (they attach per Service port) and the references
  // (their ancestors are the Gateways whose routes name the targeted Service).
  const backendTlsPolicies = processBackendTLSPolicies(snapshot.backendTlsPolicies ?? [], {
    lookup,
    configMaps: snapshot.configMaps ?? [],
    validators: deps.validators,
  });
  attachBackendTls(backendTlsPolicies, routes, upstreams, lookup, references);
  return {
    controllerName: deps.controllerName,
    gatewayClasses,
    gateways,
    routes,
    upstreams,
    references,
    backendTlsPolicies,
  };
}
