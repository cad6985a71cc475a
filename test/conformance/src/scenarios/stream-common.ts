/**
 * What the TCPRoute and UDPRoute scenarios share: Gateways of TCP or UDP listeners that allow
 * one route kind, the echo Services and pods behind the routes, and the steps every one of
 * them opens with (upstream's `NamespacesMustBeReady` and `Gateway...RoutesMustBeAccepted`).
 */
import type { KubeObject } from '@portico/kube';
import {
  backend,
  gateway,
  listener,
  parent,
  ref,
  service,
  streamRoute,
  type Ref,
} from '../builders.ts';
import { acceptedParent } from '../cluster.ts';
import type { EchoPodsSpec } from '../echo-pods.ts';
import type { ScenarioContext } from '../scenario.ts';
import type { Transport } from '../stream-expect.ts';

export type StreamKind = 'TCPRoute' | 'UDPRoute';

export const transportOf = (kind: StreamKind): Transport => (kind === 'TCPRoute' ? 'tcp' : 'udp');

/** The Service port of the upstream echo backends: TCP 3000 ("tcp"), UDP 8080 ("udp"). */
export const echoPort = (kind: StreamKind): number => (kind === 'TCPRoute' ? 3000 : 8080);

/** A Gateway whose listeners (name, port) all speak the kind's protocol and allow only it. */
export function streamGateway(
  kind: StreamKind,
  at: Ref,
  listeners: Array<[name: string, port: number]>,
): KubeObject {
  const protocol = kind === 'TCPRoute' ? 'TCP' : 'UDP';
  return gateway(
    at,
    listeners.map(([name, port]) => listener({ name, port, protocol, kinds: [{ kind }] })),
  );
}

/** The echo backend's Service (selector app=<name>, one named port). */
export function echoService(kind: StreamKind, at: Ref): KubeObject {
  const port = echoPort(kind);
  const protocol = kind === 'TCPRoute' ? 'TCP' : 'UDP';
  return service(at, [{ name: transportOf(kind), port, targetPort: port, protocol }], {
    selector: { app: at.name },
  });
}

/** The pods of echo Services (one replica each, as upstream's Deployments). */
export function echoPods(kind: StreamKind, services: Ref[]): EchoPodsSpec[] {
  return services.map((s) => ({
    namespace: s.namespace,
    app: s.name,
    kind: transportOf(kind),
    portName: transportOf(kind),
  }));
}

/** A route with one rule to one Service (port: the kind's echo port unless given). */
export function simpleRoute(
  kind: StreamKind,
  at: Ref,
  parents: Array<Record<string, unknown>>,
  to: { name: string; namespace?: string; port?: number },
): KubeObject {
  const extra = to.namespace ? { namespace: to.namespace } : {};
  return streamRoute(kind, at, {
    parents,
    rules: [{ backends: [backend(to.name, to.port ?? echoPort(kind), extra)] }],
  });
}

/** parentRef to a Gateway of the infra namespace by sectionName. */
export const toSection = (gw: string, sectionName: string): Record<string, unknown> =>
  parent(gw, { sectionName });

/** Accepted=True parents for every route, all listeners Accepted/ResolvedRefs/Programmed. */
export function gatewayAndRoutesAccepted(
  t: ScenarioContext,
  kind: StreamKind,
  gw: Ref,
  routes: Ref[],
  listenerNames: string[] = [],
): Promise<string> {
  return t.step('gateway and routes accepted', () =>
    t.cluster.gatewayAndRoutesAccepted(gw, routes, listenerNames, kind),
  );
}

/** Upstream's expected parent without sectionName: Accepted=True by this Gateway. */
export const anyListenerParent = (gw: Ref): ReturnType<typeof acceptedParent> => acceptedParent(gw);

export { ref };
