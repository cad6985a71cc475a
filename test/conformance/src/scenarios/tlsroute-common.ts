/**
 * What the TLSRoute scenarios share: TLS listeners and routes in upstream's shapes, the
 * base objects of the TLS tests (the suite's CA and certificates, the backend Services), and
 * the steps most of them open with.
 */
import { RESOURCES, type KubeObject } from '@portico/kube';
import { CLASS_NAME, GATEWAY_API, INFRA, listener, type Ref } from '../builders.ts';
import type { ScenarioContext } from '../scenario.ts';
import { tlsBackendServices } from '../tls-backends.ts';
import { pkiObjects } from '../tls-pki.ts';

type Json = Record<string, unknown>;

/** A TLS listener allowing TLSRoutes from its namespace; `certificate` makes it Terminate. */
export function tlsListener(
  name: string,
  port: number,
  options: { hostname?: string; certificate?: string; kinds?: string[] } = {},
): Json {
  const tls: Json =
    options.certificate === undefined
      ? { mode: 'Passthrough' }
      : { mode: 'Terminate', certificateRefs: [{ name: options.certificate }] };
  return listener({
    name,
    port,
    protocol: 'TLS',
    ...(options.hostname === undefined ? {} : { hostname: options.hostname }),
    kinds: (options.kinds ?? ['TLSRoute']).map((kind) => ({ kind })),
    tls,
  });
}

/** A TLSRoute (v1: hostnames required, one rule of backendRefs). */
export function tlsRoute(
  at: Ref,
  spec: { parents: Json[]; hostnames: string[]; backends: Json[] },
): KubeObject {
  return {
    apiVersion: GATEWAY_API,
    kind: 'TLSRoute',
    metadata: { ...at },
    spec: {
      parentRefs: spec.parents,
      hostnames: spec.hostnames,
      rules: [{ backendRefs: spec.backends }],
    },
  };
}

/** The suite's CA and certificates, and the TLS backend Services (with a scenario's own). */
export function withTlsBase(objects: KubeObject[]): KubeObject[] {
  return [...pkiObjects(), ...tlsBackendServices(), ...objects];
}

/** The features the GatewayClass claims (what upstream's suite reads before a test). */
export async function claimedFeatures(t: ScenarioContext): Promise<Set<string>> {
  const gwc = await t.cluster.get(RESOURCES.GatewayClass, { name: CLASS_NAME });
  const raw = (gwc.status as { supportedFeatures?: unknown[] } | undefined)?.supportedFeatures;
  return new Set(
    (raw ?? []).map((f) => (typeof f === 'string' ? f : ((f as { name?: string }).name ?? ''))),
  );
}

/** Upstream `NamespacesMustBeReady` on the infra namespace, then `GatewayAndTLSRoutesMustBeAccepted`. */
export async function acceptedWithAddress(
  t: ScenarioContext,
  gw: Ref,
  routes: Ref[],
): Promise<string> {
  await t.step('namespace ready', () => t.cluster.namespacesReady([INFRA]));
  return t.step('Gateway and TLSRoutes accepted', () =>
    t.cluster.gatewayAndRoutesAccepted(gw, routes, [], 'TLSRoute'),
  );
}
