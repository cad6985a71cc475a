/**
 * The GATEWAY-GRPC route tests (GRPCExactMethodMatching, GRPCRouteHeaderMatching,
 * GRPCRouteListenerHostnameMatching, GRPCRouteWeight) and GRPCRouteNamedRule, with a real
 * gRPC client (@grpc/grpc-js, h2c) through the Gateway's data plane to gRPC echo pods. The
 * suite's base has the three `grpc-infra-backend-v*` Deployments (2 replicas, Services on
 * 8080 with appProtocol kubernetes.io/h2c); here each scenario brings them along.
 */
import type { KubeObject } from '@portico/kube';
import { GRPC_ECHO_SERVICE, type GrpcEchoMethod } from '@portico/testing';
import {
  backend,
  gateway,
  grpcRoute,
  headers,
  http,
  INFRA,
  parent,
  ref,
  rule,
  service,
  type Ref,
} from '../builders.ts';
import { withEchoPods, type EchoPodsSpec } from '../echo-pods.ts';
import {
  expectGrpc,
  expectGrpcAll,
  expectGrpcWeights,
  GRPC_UNIMPLEMENTED,
  type GrpcExpected,
} from '../grpc-expect.ts';
import type { Scenario, ScenarioContext } from '../scenario.ts';

const GRPC = 'GRPCRoute';
const SAME = ref(INFRA, 'same-namespace');
const BACKENDS = ['v1', 'v2', 'v3'].map((v) => `grpc-infra-backend-${v}`);

const grpcServices: KubeObject[] = BACKENDS.map((name) =>
  service(ref(INFRA, name), [{ port: 8080, targetPort: 3000, appProtocol: 'kubernetes.io/h2c' }], {
    selector: { app: name },
  }),
);

const grpcPods: EchoPodsSpec[] = BACKENDS.map((app) => ({
  namespace: INFRA,
  app,
  kind: 'grpc',
  replicas: 2,
}));

const method = (name: GrpcEchoMethod): Record<string, unknown> => ({
  method: { service: GRPC_ECHO_SERVICE, method: name },
});

const to = (name: string, weight?: number): Record<string, unknown> =>
  backend(name, 8080, weight === undefined ? {} : { weight });

/** An OK answer from a pod of `backend` in the infra namespace. */
const reaches = (
  m: GrpcEchoMethod,
  backendName: string,
  extra: Partial<GrpcExpected> = {},
): GrpcExpected => ({ method: m, backend: backendName, namespace: INFRA, ...extra });

const unimplemented = (m: GrpcEchoMethod, extra: Partial<GrpcExpected> = {}): GrpcExpected => ({
  method: m,
  code: GRPC_UNIMPLEMENTED,
  ...extra,
});

/** Pods up, the Gateway and route(s) accepted, then `fn` with the Gateway's address. */
async function withAcceptedRoute(
  t: ScenarioContext,
  gw: Ref,
  routes: Ref[],
  fn: (address: string) => Promise<void>,
): Promise<void> {
  await withEchoPods(t, grpcPods, async () => {
    const address = await t.step('gateway and route accepted', () =>
      t.cluster.gatewayAndRoutesAccepted(gw, routes, [], GRPC),
    );
    await fn(address);
  });
}

const exactMethodMatching: Scenario = {
  shortName: 'GRPCExactMethodMatching',
  description: 'Echo goes to v1, EchoTwo to v2, EchoThree (no rule) is UNIMPLEMENTED.',
  manifests: [
    ...grpcServices,
    grpcRoute(ref(INFRA, 'exact-matching'), {
      parents: [parent('same-namespace')],
      rules: [
        rule({ matches: [method('Echo')], backends: [to('grpc-infra-backend-v1')] }),
        rule({ matches: [method('EchoTwo')], backends: [to('grpc-infra-backend-v2')] }),
      ],
    }),
  ],
  run: (t) =>
    withAcceptedRoute(t, SAME, [ref(INFRA, 'exact-matching')], (address) =>
      t.step('calls', () =>
        expectGrpcAll(address, [
          reaches('Echo', 'grpc-infra-backend-v1'),
          reaches('EchoTwo', 'grpc-infra-backend-v2'),
          unimplemented('EchoThree'),
        ]),
      ),
    ),
};

const headerMatching: Scenario = {
  shortName: 'GRPCRouteHeaderMatching',
  description:
    'Header matches: a single header, two headers ANDed (more specific wins), alternatives ORed, no match UNIMPLEMENTED.',
  manifests: [
    ...grpcServices,
    grpcRoute(ref(INFRA, 'grpc-header-matching'), {
      parents: [parent('same-namespace')],
      rules: [
        rule({ matches: [headers({ version: 'one' })], backends: [to('grpc-infra-backend-v1')] }),
        rule({ matches: [headers({ version: 'two' })], backends: [to('grpc-infra-backend-v2')] }),
        rule({
          matches: [headers({ version: 'two', color: 'orange' })],
          backends: [to('grpc-infra-backend-v1')],
        }),
        rule({
          matches: [headers({ color: 'blue' }), headers({ color: 'green' })],
          backends: [to('grpc-infra-backend-v1')],
        }),
        rule({
          matches: [headers({ color: 'red' }), headers({ color: 'yellow' })],
          backends: [to('grpc-infra-backend-v2')],
        }),
      ],
    }),
  ],
  run: (t) =>
    withAcceptedRoute(t, SAME, [ref(INFRA, 'grpc-header-matching')], (address) => {
      const md = (metadata: Record<string, string>): Partial<GrpcExpected> => ({ metadata });
      return t.step('calls', () =>
        expectGrpcAll(address, [
          reaches('Echo', 'grpc-infra-backend-v1', md({ version: 'one' })),
          reaches('Echo', 'grpc-infra-backend-v2', md({ version: 'two' })),
          reaches('Echo', 'grpc-infra-backend-v1', md({ version: 'two', color: 'orange' })),
          reaches('Echo', 'grpc-infra-backend-v2', md({ version: 'two', color: 'blue' })),
          unimplemented('Echo', md({ color: 'orange' })),
          unimplemented('Echo', md({ 'some-other-header': 'one' })),
          reaches('Echo', 'grpc-infra-backend-v1', md({ color: 'blue' })),
          reaches('Echo', 'grpc-infra-backend-v1', md({ color: 'green' })),
          reaches('Echo', 'grpc-infra-backend-v2', md({ color: 'red' })),
          reaches('Echo', 'grpc-infra-backend-v2', md({ color: 'yellow' })),
          unimplemented('Echo', md({ color: 'purple' })),
        ]),
      );
    }),
};

const HOSTNAMES_GW = ref(INFRA, 'grpcroute-listener-hostname-matching');

const listenerHostnameMatching: Scenario = {
  shortName: 'GRPCRouteListenerHostnameMatching',
  description:
    'Four HTTP listeners on port 80 with different hostnames, one GRPCRoute per listener (one on two): the :authority picks the listener.',
  manifests: [
    ...grpcServices,
    gateway(HOSTNAMES_GW, [
      http('listener-1', { hostname: 'bar.com' }),
      http('listener-2', { hostname: 'foo.bar.com' }),
      http('listener-3', { hostname: '*.bar.com' }),
      http('listener-4', { hostname: '*.foo.com' }),
    ]),
    ...(
      [
        ['backend-v1', ['listener-1'], 'grpc-infra-backend-v1'],
        ['backend-v2', ['listener-2'], 'grpc-infra-backend-v2'],
        ['backend-v3', ['listener-3', 'listener-4'], 'grpc-infra-backend-v3'],
      ] as const
    ).map(([name, sections, to3]) =>
      grpcRoute(ref(INFRA, name), {
        parents: sections.map((sectionName) =>
          parent(HOSTNAMES_GW.name, { namespace: INFRA, sectionName }),
        ),
        rules: [rule({ backends: [to(to3)] })],
      }),
    ),
  ],
  async run(t) {
    await withEchoPods(t, grpcPods, async () => {
      await t.step('namespace ready', () => t.cluster.namespacesReady([INFRA]));
      const accepted = (route: string, sections: string[]): Promise<string> =>
        t.step(`${route} accepted`, () =>
          t.cluster.gatewayAndRoutesAccepted(HOSTNAMES_GW, [ref(INFRA, route)], sections, GRPC),
        );
      await accepted('backend-v1', ['listener-1']);
      await accepted('backend-v2', ['listener-2']);
      const address = await accepted('backend-v3', ['listener-3', 'listener-4']);
      const host = (authority: string): Partial<GrpcExpected> => ({ authority });
      await t.step('calls', () =>
        expectGrpcAll(address, [
          reaches('Echo', 'grpc-infra-backend-v1', host('bar.com')),
          reaches('Echo', 'grpc-infra-backend-v2', host('foo.bar.com')),
          reaches('Echo', 'grpc-infra-backend-v3', host('baz.bar.com')),
          reaches('Echo', 'grpc-infra-backend-v3', host('boo.bar.com')),
          reaches('Echo', 'grpc-infra-backend-v3', host('multiple.prefixes.bar.com')),
          reaches('Echo', 'grpc-infra-backend-v3', host('multiple.prefixes.foo.com')),
          unimplemented('Echo', host('foo.com')),
          unimplemented('Echo', host('no.matching.host')),
        ]),
      );
    });
  },
};

const weight: Scenario = {
  shortName: 'GRPCRouteWeight',
  description:
    'Backends weighted 70/30/0: 500 calls with random x-jitter metadata split within ±5 %, none to v3.',
  manifests: [
    ...grpcServices,
    grpcRoute(ref(INFRA, 'weighted-backends'), {
      parents: [parent('same-namespace')],
      rules: [
        rule({
          backends: [
            to('grpc-infra-backend-v1', 70),
            to('grpc-infra-backend-v2', 30),
            to('grpc-infra-backend-v3', 0),
          ],
        }),
      ],
    }),
  ],
  run: (t) =>
    withAcceptedRoute(t, SAME, [ref(INFRA, 'weighted-backends')], async (address) => {
      const expected: GrpcExpected = { method: 'Echo', namespace: INFRA };
      await t.step('calls answered', () => expectGrpc(address, expected));
      await t.step('weighted distribution', () =>
        expectGrpcWeights(address, expected, {
          'grpc-infra-backend-v1': 0.7,
          'grpc-infra-backend-v2': 0.3,
          'grpc-infra-backend-v3': 0,
        }),
      );
    }),
};

const namedRule: Scenario = {
  shortName: 'GRPCRouteNamedRule',
  description: 'A named and an unnamed rule: the route is accepted and both serve.',
  manifests: [
    ...grpcServices,
    grpcRoute(ref(INFRA, 'grpc-named-rules'), {
      parents: [parent('same-namespace')],
      rules: [
        rule({
          matches: [method('Echo')],
          backends: [to('grpc-infra-backend-v1')],
          extra: { name: 'named-rule' },
        }),
        rule({ matches: [method('EchoTwo')], backends: [to('grpc-infra-backend-v2')] }),
      ],
    }),
  ],
  run: (t) =>
    withAcceptedRoute(t, SAME, [ref(INFRA, 'grpc-named-rules')], (address) =>
      t.step('calls', () =>
        expectGrpcAll(address, [
          reaches('Echo', 'grpc-infra-backend-v1'),
          reaches('EchoTwo', 'grpc-infra-backend-v2'),
        ]),
      ),
    ),
};

export const GRPCROUTE_SCENARIOS: Scenario[] = [
  exactMethodMatching,
  headerMatching,
  listenerHostnameMatching,
  weight,
  namedRule,
];
