/** What the ListenerSet route scenarios share: backends, a one-rule route, expected entries. */
import { backend, httpRoute, INFRA, parent, prefix, rule } from '../builders.ts';
import type { Ref } from '../builders.ts';
import { ACCEPTED_LISTENER } from '../listenerset.ts';

export const V1 = 'infra-backend-v1';
export const V2 = 'infra-backend-v2';
export const V3 = 'infra-backend-v3';

/** A route in `at.namespace` with one PathPrefix rule to `service` (in infra). */
export function routeTo(
  route: Ref,
  parents: Record<string, unknown>[],
  path: string,
  service: string,
) {
  const ns = route.namespace === INFRA ? {} : { namespace: INFRA };
  return httpRoute(route, {
    parents,
    rules: [rule({ matches: [prefix(path)], backends: [backend(service, 8080, ns)] })],
  });
}

export const gwParent = (gw: Ref, sectionName?: string): Record<string, unknown> =>
  parent(gw.name, { namespace: gw.namespace, ...(sectionName ? { sectionName } : {}) });

/** A set listener's expected status: HTTPRoute supported, `routes` attached, accepted. */
export const entry = (name: string, routes: number) => ({
  name,
  attachedRoutes: routes,
  supportedKinds: [{ kind: 'HTTPRoute' }],
  conditions: ACCEPTED_LISTENER,
});
