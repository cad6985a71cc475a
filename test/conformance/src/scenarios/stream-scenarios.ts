/**
 * The scenario shapes that upstream's TCPRoute and UDPRoute tests share, as factories
 * parameterised by protocol: the same objects (named `<tcp|udp>-...`) and the same steps, with
 * connections through TCP listeners or datagrams through UDP ones. tcproute.ts and
 * udproute.ts call them with upstream's names and ports; the status-only shapes are in
 * stream-status-scenarios.ts.
 */
import { RESOURCES } from '@portico/kube';
import { backend, INFRA, parent, ref, referenceGrant, streamRoute, type Ref } from '../builders.ts';
import { withEchoPods } from '../echo-pods.ts';
import type { Scenario } from '../scenario.ts';
import {
  expectOnlyBackend,
  expectStreamBackend,
  sendStreamProbe,
  type Transport,
} from '../stream-expect.ts';
import { expectWeightedDistribution } from '../weights.ts';
import { cond, listenerStatus } from './expect.ts';
import {
  anyListenerParent,
  echoPods,
  echoPort,
  echoService,
  gatewayAndRoutesAccepted,
  simpleRoute,
  streamGateway,
  toSection,
  type StreamKind,
} from './stream-common.ts';

/** What differs between the TCP and the UDP version of one shape. */
export interface StreamProtocol {
  kind: StreamKind;
  /** The transport of the probes, the prefix of object names, the name of a lone listener. */
  name: Transport;
  /** What one probe is, in descriptions and step names. */
  unit: 'connections' | 'datagrams';
}

export const TCP: StreamProtocol = { kind: 'TCPRoute', name: 'tcp', unit: 'connections' };
export const UDP: StreamProtocol = { kind: 'UDPRoute', name: 'udp', unit: 'datagrams' };

/** `<Kind>MultipleRoutesAttachment`: of two routes on one listener, the older gets it all. */
export function multipleRoutesAttachment(
  p: StreamProtocol,
  port: number,
  samples: number,
): Scenario {
  const gw = ref(INFRA, `${p.name}-multi-route-attach-gateway`);
  const older = ref(INFRA, `${p.name}route-attach-older`);
  const newer = ref(INFRA, `${p.name}route-attach-newer`);
  const backends = [1, 2].map((i) => ref(INFRA, `${p.name}-attach-backend-${i}`));
  const routeTo = (route: Ref, to: Ref) =>
    simpleRoute(p.kind, route, [toSection(gw.name, p.name)], { name: to.name });
  const newerRoute = routeTo(newer, backends[1] as Ref);
  return {
    shortName: `${p.kind}MultipleRoutesAttachment`,
    description: `Two ${p.kind}s on one listener: both Accepted, attachedRoutes 2, and only the older one gets ${p.unit} (${samples} sampled).`,
    manifests: [
      ...backends.map((b) => echoService(p.kind, b)),
      streamGateway(p.kind, gw, [[p.name, port]]),
      routeTo(older, backends[0] as Ref),
    ],
    run: (t) =>
      withEchoPods(t, echoPods(p.kind, backends), async () => {
        await t.step('namespace ready', () => t.cluster.namespacesReady([INFRA]));
        const address = await gatewayAndRoutesAccepted(t, p.kind, gw, [older], [p.name]);
        // creationTimestamp has second precision: the newer route must be strictly newer.
        await new Promise((r) => setTimeout(r, 1100));
        try {
          await t.step('apply the newer route', () => t.cluster.apply([newerRoute]));
          const accepted = cond('Accepted', 'True', 'Accepted');
          await t.step('both routes Accepted', async () => {
            await t.cluster.routeCondition(older, gw, accepted, p.kind);
            await t.cluster.routeCondition(newer, gw, accepted, p.kind);
          });
          await t.step('listener has 2 attached routes', () =>
            t.cluster.gatewayListeners(gw, [listenerStatus(p.name, 2, [accepted], [p.kind])]),
          );
          const expected = { namespace: INFRA, backend: backends[0]?.name ?? '' };
          await t.step('traffic reaches the older route', () =>
            expectStreamBackend(p.name, address, expected),
          );
          await t.step(`only the older route, ${samples} ${p.unit}`, () =>
            expectOnlyBackend(p.name, address, expected, samples),
          );
        } finally {
          await t.cluster.remove([newerRoute]).catch(() => undefined);
        }
      }),
  };
}

/**
 * `<Kind>ParentRefAttachAll...`: a parentRef without sectionName or port attaches the route
 * to every listener (each counts it once) and each listener reaches the backend.
 */
export function attachAllListeners(
  p: StreamProtocol,
  spec: { shortName: string; gateway: string; listeners: Array<[name: string, port: number]> },
): Scenario {
  const gw = ref(INFRA, spec.gateway);
  const route = ref(INFRA, `${p.name}-route-attach-all`);
  const echo = ref(INFRA, `${p.name}-echo-attach-all`);
  const names = spec.listeners.map(([name]) => name);
  return {
    shortName: spec.shortName,
    description: `A parentRef without sectionName or port attaches to all ${names.length} ${p.name.toUpperCase()} listeners (1 route each); each reaches the backend.`,
    manifests: [
      echoService(p.kind, echo),
      streamGateway(p.kind, gw, spec.listeners),
      simpleRoute(p.kind, route, [parent(gw.name)], { name: echo.name }),
    ],
    run: (t) =>
      withEchoPods(t, echoPods(p.kind, [echo]), async () => {
        await t.step('namespace ready', () => t.cluster.namespacesReady([INFRA]));
        await t.step('route Accepted', () =>
          t.cluster.routeParents(route, [anyListenerParent(gw)], false, p.kind),
        );
        const ready = [cond('Accepted', 'True'), cond('ResolvedRefs', 'True')];
        await t.step('every listener has the route', () =>
          t.cluster.gatewayListeners(
            gw,
            names.map((n) => listenerStatus(n, 1, ready, [p.kind])),
          ),
        );
        for (const name of names) {
          await t.step(`listener ${name}`, async () => {
            const address = await t.cluster.gatewayAddress(gw, name);
            await expectStreamBackend(p.name, address, { namespace: INFRA, backend: echo.name });
          });
        }
      }),
  };
}

/**
 * `<Kind>ParentRefPortAndSectionName`: three routes attach to the first listener by port, to
 * the second by sectionName and to the third by both; each listener reaches its own backend.
 */
export function portAndSectionName(
  p: StreamProtocol,
  listeners: [string, string, string],
  firstPort: number,
): Scenario {
  const gw = ref(INFRA, `${p.name}-multi-listener-gateway`);
  const [byPort, bySection, byBoth] = listeners;
  const cases: Array<[route: string, listener: string, parentRef: Record<string, unknown>]> = [
    [`${p.name}-route-by-port`, byPort, parent(gw.name, { port: firstPort })],
    [`${p.name}-route-by-section`, bySection, toSection(gw.name, bySection)],
    [
      `${p.name}-route-by-section-and-port`,
      byBoth,
      parent(gw.name, { sectionName: byBoth, port: firstPort + 2 }),
    ],
  ];
  const echo = (listener: string) => ref(INFRA, `${p.name}-echo-${listener}`);
  return {
    shortName: `${p.kind}ParentRefPortAndSectionName`,
    description:
      'Three routes attach by port, by sectionName and by both; each listener reaches its own backend.',
    manifests: [
      ...listeners.map((l) => echoService(p.kind, echo(l))),
      streamGateway(
        p.kind,
        gw,
        listeners.map((l, i) => [l, firstPort + i]),
      ),
      ...cases.map(([route, l, parentRef]) =>
        simpleRoute(p.kind, ref(INFRA, route), [parentRef], { name: echo(l).name }),
      ),
    ],
    run: (t) =>
      withEchoPods(t, echoPods(p.kind, listeners.map(echo)), async () => {
        await t.step('namespace ready', () => t.cluster.namespacesReady([INFRA]));
        for (const [route, listener] of cases) {
          await t.step(route, async () => {
            await t.cluster.routeParents(ref(INFRA, route), [anyListenerParent(gw)], false, p.kind);
            const address = await t.cluster.gatewayAddress(gw, listener);
            await expectStreamBackend(p.name, address, {
              namespace: INFRA,
              backend: echo(listener).name,
            });
          });
        }
      }),
  };
}

/** Objects of {@link referenceGrantScenario}: route and Gateway in the infra namespace. */
export interface ReferenceGrantSpec {
  /** The echo Service in another namespace, allowed by the grant beside it. */
  backend: Ref;
  grant: string;
  gateway: string;
  port: number;
  route: string;
}

/**
 * `<Kind>ReferenceGrant`: a backend in another namespace, allowed by a ReferenceGrant, is
 * resolved and answers; deleting the grant turns ResolvedRefs False RefNotPermitted.
 */
export function referenceGrantScenario(p: StreamProtocol, spec: ReferenceGrantSpec): Scenario {
  const gw = ref(INFRA, spec.gateway);
  const route = ref(INFRA, spec.route);
  const { backend: to } = spec;
  return {
    shortName: `${p.kind}ReferenceGrant`,
    description: `A backend in another namespace, allowed by a ReferenceGrant: ResolvedRefs True and ${p.unit} answered; deleting the grant turns ResolvedRefs False RefNotPermitted.`,
    manifests: [
      echoService(p.kind, to),
      referenceGrant(
        ref(to.namespace, spec.grant),
        { kind: p.kind, namespace: INFRA },
        { kind: 'Service', name: to.name },
      ),
      streamGateway(p.kind, gw, [[p.name, spec.port]]),
      simpleRoute(p.kind, route, [toSection(gw.name, p.name)], to),
    ],
    run: (t) =>
      withEchoPods(t, echoPods(p.kind, [to]), async () => {
        await t.step('namespaces ready', () => t.cluster.namespacesReady([INFRA, to.namespace]));
        const address = await gatewayAndRoutesAccepted(t, p.kind, gw, [route], [p.name]);
        await t.step('ResolvedRefs True', () =>
          t.cluster.routeCondition(route, gw, cond('ResolvedRefs', 'True', 'ResolvedRefs'), p.kind),
        );
        // Upstream's UDPRoute test only asks for an answer; the answering pod is checked too.
        await t.step('traffic reaches the cross-namespace backend', () =>
          expectStreamBackend(p.name, address, { namespace: to.namespace, backend: to.name }),
        );
        await t.step('delete the ReferenceGrant', () =>
          t.cluster.delete(RESOURCES.ReferenceGrant, ref(to.namespace, spec.grant)),
        );
        await t.step('ResolvedRefs False RefNotPermitted', () =>
          t.cluster.routeCondition(
            route,
            gw,
            cond('ResolvedRefs', 'False', 'RefNotPermitted'),
            p.kind,
          ),
        );
      }),
  };
}

/** `<Kind>WeightedRouting`: backends weighted 70/30/0 share 500 probes within ±5 %. */
export function weightedRouting(p: StreamProtocol, port: number): Scenario {
  const gw = ref(INFRA, `${p.name}-weighted-gateway`);
  const route = ref(INFRA, `${p.name}-weighted-route`);
  const weights: Array<[version: string, weight: number]> = [
    ['v1', 70],
    ['v2', 30],
    ['v3', 0],
  ];
  const name = (version: string) => `${p.name}-backend-${version}`;
  const backends = weights.map(([v]) => ref(INFRA, name(v)));
  return {
    shortName: `${p.kind}WeightedRouting`,
    description: `Backends weighted 70/30/0: 500 ${p.unit} split within ±5 %, none to the weight-0 backend.`,
    manifests: [
      ...backends.map((b) => echoService(p.kind, b)),
      streamGateway(p.kind, gw, [[p.name, port]]),
      streamRoute(p.kind, route, {
        parents: [toSection(gw.name, p.name)],
        rules: [
          {
            backends: weights.map(([v, weight]) => backend(name(v), echoPort(p.kind), { weight })),
          },
        ],
      }),
    ],
    run: (t) =>
      withEchoPods(t, echoPods(p.kind, backends), async () => {
        await t.step('namespace ready', () => t.cluster.namespacesReady([INFRA]));
        const address = await gatewayAndRoutesAccepted(t, p.kind, gw, [route], [p.name]);
        await t.step('address answers', () =>
          expectStreamBackend(p.name, address, {
            namespace: INFRA,
            backend: `${p.name}-backend`,
          }),
        );
        await t.step('weighted distribution', () =>
          expectWeightedDistribution(
            async () => (await sendStreamProbe(p.name, address)).pod,
            Object.fromEntries(weights.map(([v, weight]) => [name(v), weight / 100])),
          ),
        );
      }),
  };
}
