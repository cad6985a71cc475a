/**
 * What the gRPC, TCP and UDP end-to-end tests share beyond `manifests.ts` and `observe.ts`
 * (which speak HTTPRoute): TCPRoute and UDPRoute manifests whose weights change at run time,
 * EndpointSlices of UDP ports, and the status a route kind's parent entry and a Gateway's
 * listeners carry, each read as one line to compare and print.
 */
import { objectPath, RESOURCES, type KubeObject, type KubeRest } from '@portico/kube';
import { waitFor } from '@portico/testing';

/** The route kinds these tests read status from. */
export type E2ERouteKind = 'GRPCRoute' | 'TCPRoute' | 'UDPRoute';

/** A Gateway `namespace/name` and, when the parentRef names one, the listener. */
export interface ParentSpec {
  namespace: string;
  name: string;
  sectionName?: string;
}

/** A TCPRoute or UDPRoute with one rule, weighted backendRefs to Service ports. */
export function streamRoute(spec: {
  kind: 'TCPRoute' | 'UDPRoute';
  namespace: string;
  name: string;
  parent: ParentSpec;
  backends: Array<{ name: string; port: number; weight: number }>;
}): string {
  const section = spec.parent.sectionName ? `\n      sectionName: ${spec.parent.sectionName}` : '';
  const backends = spec.backends.map(
    (b) => `        - name: ${b.name}\n          port: ${b.port}\n          weight: ${b.weight}`,
  );
  return `apiVersion: gateway.networking.k8s.io/v1
kind: ${spec.kind}
metadata:
  name: ${spec.name}
  namespace: ${spec.namespace}
spec:
  parentRefs:
    - name: ${spec.parent.name}
      namespace: ${spec.parent.namespace}${section}
  rules:
    - backendRefs:
${backends.join('\n')}
`;
}

interface Condition {
  type: string;
  status: string;
  reason: string;
  observedGeneration?: number;
}

interface RouteParent {
  parentRef: Record<string, unknown>;
  controllerName: string;
  conditions?: Condition[];
}

const conditionLine = (c: Condition, generation: number | undefined): string =>
  `${c.type}=${c.status}/${c.reason}${c.observedGeneration === generation ? '' : ` (stale: generation ${c.observedGeneration ?? 'unset'})`}`;

/** A parentRef as `group/kind namespace/name#section`, every field as written in status. */
function parentRefLine(ref: Record<string, unknown>): string {
  const field = (key: string): string => (typeof ref[key] === 'string' ? ref[key] : '(unset)');
  const section = ref['sectionName'] === undefined ? '' : `#${field('sectionName')}`;
  return `${field('group')}/${field('kind')} ${field('namespace')}/${field('name')}${section}`;
}

/**
 * Every parent entry of a route as one line each, sorted: the full parentRef, the controller,
 * and the conditions in type order, each flagged when its observedGeneration is not the
 * route's generation. Empty when the route has no status (or does not exist).
 */
export async function routeParentLines(
  rest: KubeRest,
  kind: E2ERouteKind,
  namespace: string,
  name: string,
): Promise<string[]> {
  let route: KubeObject;
  try {
    route = await rest.request<KubeObject>('GET', objectPath(RESOURCES[kind], namespace, name));
  } catch {
    return [];
  }
  const generation = route.metadata.generation;
  const parents = (route.status as { parents?: RouteParent[] } | undefined)?.parents ?? [];
  return parents
    .map((p) => {
      const conditions = [...(p.conditions ?? [])]
        .sort((a, b) => a.type.localeCompare(b.type))
        .map((c) => conditionLine(c, generation));
      return `${parentRefLine(p.parentRef)} by ${p.controllerName}: ${conditions.join(' ')}`;
    })
    .sort();
}

/** Waits until {@link routeParentLines} are exactly `expected`; returns them. */
export function waitForRouteParents(
  rest: KubeRest,
  kind: E2ERouteKind,
  namespace: string,
  name: string,
  expected: string[],
  timeoutMs = 30_000,
): Promise<string[]> {
  const want = JSON.stringify([...expected].sort());
  return waitFor(() => routeParentLines(rest, kind, namespace, name), {
    description: `${kind} ${namespace}/${name} parents ${want}`,
    until: (lines) => JSON.stringify(lines) === want,
    timeoutMs,
    intervalMs: 200,
  });
}

interface ListenerStatus {
  name: string;
  attachedRoutes?: number;
  conditions?: Condition[];
}

/**
 * A Gateway's listeners as `name: attachedRoutes=<n> Accepted=... Programmed=... ...` lines,
 * in listener order, conditions in type order.
 */
export async function listenerLines(
  rest: KubeRest,
  namespace: string,
  name: string,
): Promise<string[]> {
  const gateway = await rest.request<KubeObject>(
    'GET',
    objectPath(RESOURCES.Gateway, namespace, name),
  );
  const generation = gateway.metadata.generation;
  const listeners = (gateway.status as { listeners?: ListenerStatus[] } | undefined)?.listeners;
  return (listeners ?? []).map((l) => {
    const conditions = [...(l.conditions ?? [])]
      .sort((a, b) => a.type.localeCompare(b.type))
      .map((c) => conditionLine(c, generation));
    return `${l.name}: attachedRoutes=${l.attachedRoutes ?? 0} ${conditions.join(' ')}`;
  });
}

/** Waits until {@link listenerLines} are exactly `expected`. */
export function waitForListeners(
  rest: KubeRest,
  namespace: string,
  name: string,
  expected: string[],
  timeoutMs = 30_000,
): Promise<string[]> {
  return waitFor(() => listenerLines(rest, namespace, name), {
    description: `Gateway ${namespace}/${name} listeners ${JSON.stringify(expected)}`,
    until: (lines) => JSON.stringify(lines) === JSON.stringify(expected),
    timeoutMs,
    intervalMs: 200,
  });
}

/** `127.0.0.1:<port + offset>` of a Gateway's listener port, from its data plane's URL. */
export function hostPort(url: string): string {
  return new URL(url).host;
}
