/**
 * The status-only scenario shapes that upstream's TCPRoute and UDPRoute tests share (a missing
 * backend, a backend in another namespace without a ReferenceGrant, a route naming a listener
 * of another protocol), as factories parameterised by protocol like stream-scenarios.ts.
 */
import { gateway, INFRA, listener, ref, type ListenerSpec, type Ref } from '../builders.ts';
import { withEchoPods } from '../echo-pods.ts';
import type { Scenario, ScenarioContext } from '../scenario.ts';
import { cond } from './expect.ts';
import {
  echoPods,
  echoService,
  gatewayAndRoutesAccepted,
  simpleRoute,
  streamGateway,
  toSection,
} from './stream-common.ts';
import type { StreamProtocol } from './stream-scenarios.ts';

/** `<Kind>InvalidBackendRefNonexistent`: ResolvedRefs False BackendNotFound. */
export function invalidBackendNonexistent(p: StreamProtocol, port: number): Scenario {
  const gw = ref(INFRA, `${p.name}-gateway-invalid-backend`);
  const route = ref(INFRA, `${p.name}-route-invalid-backend-ref-nonexistent`);
  return {
    shortName: `${p.kind}InvalidBackendRefNonexistent`,
    description:
      'A backendRef to a Service that does not exist: ResolvedRefs False BackendNotFound.',
    manifests: [
      streamGateway(p.kind, gw, [[p.name, port]]),
      simpleRoute(p.kind, route, [toSection(gw.name, p.name)], {
        name: 'nonexistent-service',
        port: 8080,
      }),
    ],
    async run(t) {
      await t.step('namespace ready', () => t.cluster.namespacesReady([INFRA]));
      await t.step('ResolvedRefs False BackendNotFound', () =>
        t.cluster.routeCondition(
          route,
          gw,
          cond('ResolvedRefs', 'False', 'BackendNotFound'),
          p.kind,
        ),
      );
    },
  };
}

/** Objects of {@link invalidCrossNamespace}: route and Gateway in the infra namespace. */
export interface CrossNamespaceSpec {
  gateway: string;
  port: number;
  route: string;
  /** The Service in another namespace that no ReferenceGrant allows. */
  backend: Ref;
  /** Whether that Service and its pod exist (upstream's TCP test has them, its UDP one not). */
  deployed: boolean;
}

/**
 * `<Kind>InvalidCrossNamespaceBackendRef`: without a ReferenceGrant the route stays Accepted
 * and says ResolvedRefs False RefNotPermitted.
 */
export function invalidCrossNamespace(p: StreamProtocol, spec: CrossNamespaceSpec): Scenario {
  const gw = ref(INFRA, spec.gateway);
  const route = ref(INFRA, spec.route);
  const { backend: to } = spec;
  const checks = async (t: ScenarioContext) => {
    await t.step('namespaces ready', () => t.cluster.namespacesReady([INFRA, to.namespace]));
    await gatewayAndRoutesAccepted(t, p.kind, gw, [route], [p.name]);
    await t.step('ResolvedRefs False RefNotPermitted', () =>
      t.cluster.routeCondition(route, gw, cond('ResolvedRefs', 'False', 'RefNotPermitted'), p.kind),
    );
  };
  return {
    shortName: `${p.kind}InvalidCrossNamespaceBackendRef`,
    description:
      'A backendRef to another namespace without a ReferenceGrant: the route stays Accepted, ResolvedRefs False RefNotPermitted.',
    manifests: [
      ...(spec.deployed ? [echoService(p.kind, to)] : []),
      streamGateway(p.kind, gw, [[p.name, spec.port]]),
      simpleRoute(p.kind, route, [toSection(gw.name, p.name)], to),
    ],
    run: (t) =>
      spec.deployed ? withEchoPods(t, echoPods(p.kind, [to]), () => checks(t)) : checks(t),
  };
}

/** Objects of {@link notAllowedByListeners}, all in the infra namespace. */
export interface NotAllowedSpec {
  shortName: string;
  description: string;
  gateway: string;
  /** The Gateway's one listener, which does not allow the route's kind. */
  listener: ListenerSpec;
  route: string;
  backend: { name: string; port: number };
}

/**
 * A route naming a listener that does not allow its kind: Accepted False
 * NotAllowedByListeners, and the Gateway counts no attached route.
 */
export function notAllowedByListeners(p: StreamProtocol, spec: NotAllowedSpec): Scenario {
  const gw = ref(INFRA, spec.gateway);
  const route = ref(INFRA, spec.route);
  return {
    shortName: spec.shortName,
    description: spec.description,
    manifests: [
      gateway(gw, [listener(spec.listener)]),
      simpleRoute(p.kind, route, [toSection(gw.name, spec.listener.name)], spec.backend),
    ],
    async run(t) {
      await t.step('namespace ready', () => t.cluster.namespacesReady([INFRA]));
      await t.step('Accepted False NotAllowedByListeners', () =>
        t.cluster.routeCondition(
          route,
          gw,
          cond('Accepted', 'False', 'NotAllowedByListeners'),
          p.kind,
        ),
      );
      await t.step('zero routes attached', () => t.cluster.gatewayZeroRoutes(gw));
    },
  };
}
