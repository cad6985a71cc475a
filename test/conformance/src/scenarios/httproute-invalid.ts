/** Scenarios of invalid references: backends, parents, cross-namespace grants. */
import { RESOURCES } from '@portico/kube';
import {
  APP,
  backend,
  GATEWAY_GROUP,
  httpRoute,
  INFRA,
  parent,
  prefix,
  ref,
  referenceGrant,
  rule,
  WEB,
} from '../builders.ts';
import type { Scenario } from '../scenario.ts';
import { answers, cond, reaches } from './expect.ts';

const SAME = ref(INFRA, 'same-namespace');

/** A route on same-namespace whose only backend is invalid: ResolvedRefs False/reason, 500. */
function invalidBackend(
  shortName: string,
  description: string,
  routeName: string,
  reason: string,
  backendRef: Record<string, unknown>,
  path = '/',
): Scenario {
  return {
    shortName,
    description,
    manifests: [
      httpRoute(ref(INFRA, routeName), {
        parents: [parent('same-namespace')],
        rules: [rule({ backends: [backendRef] })],
      }),
    ],
    async run(t) {
      const route = ref(INFRA, routeName);
      const address = await t.step('gateway and route accepted', () =>
        t.cluster.gatewayAndRoutesAccepted(SAME, [route]),
      );
      await t.step(`ResolvedRefs False/${reason}`, () =>
        t.cluster.routeCondition(route, SAME, cond('ResolvedRefs', 'False', reason)),
      );
      await t.step('request gets 500', () => t.http.expect(address, answers(path, 500)));
    },
  };
}

const unknownKind = invalidBackend(
  'HTTPRouteInvalidBackendRefUnknownKind',
  'A backendRef of an unknown group/kind: ResolvedRefs False InvalidKind, and 500.',
  'invalid-backend-ref-unknown-kind',
  'InvalidKind',
  backend('infra-backend-v1', 8080, { group: 'unknownkind.example.com', kind: 'NonExistent' }),
  '/v2',
);

const crossNamespaceBackend = invalidBackend(
  'HTTPRouteInvalidCrossNamespaceBackendRef',
  'A backendRef to another namespace without a ReferenceGrant: RefNotPermitted, and 500.',
  'invalid-cross-namespace-backend-ref',
  'RefNotPermitted',
  backend('web-backend', 8080, { namespace: WEB }),
);

const nonExistentBackend = invalidBackend(
  'HTTPRouteInvalidNonExistentBackendRef',
  'A backendRef to a Service that does not exist: BackendNotFound, and 500.',
  'invalid-nonexistent-backend-ref',
  'BackendNotFound',
  backend('nonexistent', 8080, { namespace: INFRA }),
);

const crossNamespaceParent: Scenario = {
  shortName: 'HTTPRouteInvalidCrossNamespaceParentRef',
  description:
    'A route in web-backend referencing same-namespace (Same only) is NotAllowedByListeners; nothing attaches.',
  manifests: [
    httpRoute(ref(WEB, 'invalid-cross-namespace-parent-ref'), {
      parents: [parent('same-namespace', { namespace: INFRA })],
      rules: [rule({ backends: [backend('web-backend', 8080)] })],
    }),
  ],
  async run(t) {
    const route = ref(WEB, 'invalid-cross-namespace-parent-ref');
    await t.step('ResolvedRefs True', () => t.cluster.routeResolvedRefs(route, SAME));
    await t.step('Accepted False/NotAllowedByListeners', () =>
      t.cluster.routeCondition(route, SAME, cond('Accepted', 'False', 'NotAllowedByListeners')),
    );
    await t.step('no accepted parents', () => t.cluster.routeNoAcceptedParents(route));
    await t.step('Gateway has zero routes', () => t.cluster.gatewayZeroRoutes(SAME));
  },
};

const notMatchingSectionName: Scenario = {
  shortName: 'HTTPRouteInvalidParentRefNotMatchingSectionName',
  description:
    'A parentRef naming a listener the Gateway does not have: Accepted False NoMatchingParent.',
  manifests: [
    httpRoute(ref(INFRA, 'httproute-listener-not-matching-section-name'), {
      parents: [parent('same-namespace', { namespace: INFRA, port: 80, sectionName: 'http1' })],
      rules: [rule({ backends: [backend('infra-backend-v1', 8080, { kind: 'Service' })] })],
    }),
  ],
  async run(t) {
    const route = ref(INFRA, 'httproute-listener-not-matching-section-name');
    await t.step('Accepted False/NoMatchingParent', () =>
      t.cluster.routeCondition(route, SAME, cond('Accepted', 'False', 'NoMatchingParent')),
    );
    await t.step('no accepted parents', () => t.cluster.routeNoAcceptedParents(route));
    await t.step('Gateway has zero routes', () => t.cluster.gatewayZeroRoutes(SAME));
  },
};

/** Grants that each miss in one way: wrong namespace, from group/kind/namespace, to group/kind/name. */
export function nearMissGrants(
  fromKind: string,
  toKind: string,
  toName: string,
  target: string,
  fromNs: string,
  /** Where the grant in the wrong namespace goes. */
  wrongNs: string,
): ReturnType<typeof referenceGrant>[] {
  const good = { group: GATEWAY_GROUP, kind: fromKind, namespace: fromNs };
  const otherKind = fromKind === 'HTTPRoute' ? 'Gateway' : 'HTTPRoute';
  const wrongToKind = toKind === 'Service' ? 'Secret' : 'Service';
  return [
    referenceGrant(ref(wrongNs, 'reference-grant-wrong-namespace'), good, {
      kind: toKind,
      name: toName,
    }),
    referenceGrant(
      ref(target, 'reference-grant-wrong-from-group'),
      { ...good, group: 'not-the-group-youre-looking-for' },
      { kind: toKind, name: toName },
    ),
    referenceGrant(
      ref(target, 'reference-grant-wrong-from-kind'),
      { ...good, kind: otherKind },
      { kind: toKind, name: toName },
    ),
    referenceGrant(
      ref(target, 'reference-grant-wrong-from-namespace'),
      { ...good, namespace: 'not-the-namespace-youre-looking-for' },
      { kind: toKind, name: toName },
    ),
    referenceGrant(ref(target, 'reference-grant-wrong-to-group'), good, {
      group: 'not-the-group-youre-looking-for',
      kind: toKind,
      name: toName,
    }),
    referenceGrant(ref(target, 'reference-grant-wrong-to-kind'), good, {
      kind: wrongToKind,
      name: toName,
    }),
    referenceGrant(ref(target, 'reference-grant-wrong-to-name'), good, {
      kind: toKind,
      name: `not-the-${toKind === 'Service' ? 'service' : 'certificate'}-youre-looking-for`,
    }),
  ];
}

const invalidReferenceGrant: Scenario = {
  shortName: 'HTTPRouteInvalidReferenceGrant',
  description:
    'Seven grants that each miss (namespace, from group/kind/namespace, to group/kind/name): RefNotPermitted, and 500.',
  manifests: [
    ...nearMissGrants('HTTPRoute', 'Service', 'web-backend', WEB, INFRA, INFRA),
    httpRoute(ref(INFRA, 'reference-grant'), {
      parents: [parent('same-namespace')],
      rules: [rule({ backends: [backend('web-backend', 8080, { namespace: WEB })] })],
    }),
  ],
  async run(t) {
    const route = ref(INFRA, 'reference-grant');
    const address = await t.step('gateway and route accepted', () =>
      t.cluster.gatewayAndRoutesAccepted(SAME, [route]),
    );
    await t.step('ResolvedRefs False/RefNotPermitted', () =>
      t.cluster.routeCondition(route, SAME, cond('ResolvedRefs', 'False', 'RefNotPermitted')),
    );
    await t.step('request gets 500', () => t.http.expect(address, answers('/', 500)));
  },
};

const partiallyInvalid: Scenario = {
  shortName: 'HTTPRoutePartiallyInvalidViaInvalidReferenceGrant',
  description:
    'A grant covers app-backend-v1 only: the /v2 rule to app-backend-v2 gets 500, the other rule is served.',
  manifests: [
    referenceGrant(
      ref(APP, 'invalid-reference-grant'),
      { kind: 'HTTPRoute', namespace: INFRA },
      { kind: 'Service', name: 'app-backend-v1' },
    ),
    httpRoute(ref(INFRA, 'invalid-reference-grant'), {
      parents: [parent('same-namespace')],
      rules: [
        rule({
          matches: [prefix('/v2')],
          backends: [backend('app-backend-v2', 8080, { namespace: APP })],
        }),
        rule({ backends: [backend('app-backend-v1', 8080, { namespace: APP })] }),
      ],
    }),
  ],
  async run(t) {
    const route = ref(INFRA, 'invalid-reference-grant');
    const address = await t.step('gateway and route accepted', () =>
      t.cluster.gatewayAndRoutesAccepted(SAME, [route]),
    );
    await t.step('ResolvedRefs False/RefNotPermitted', () =>
      t.cluster.routeCondition(route, SAME, cond('ResolvedRefs', 'False', 'RefNotPermitted')),
    );
    await t.step('/v2 gets 500', () => t.http.expect(address, answers('/v2', 500)));
    await t.step('/ is served', () => t.http.expect(address, reaches('/', 'app-backend-v1', APP)));
  },
};

const referenceGrantScenario: Scenario = {
  shortName: 'HTTPRouteReferenceGrant',
  description:
    'A grant lets an infra route use web-backend; deleting the grant turns the answers into 500.',
  manifests: [
    referenceGrant(
      ref(WEB, 'reference-grant'),
      { kind: 'HTTPRoute', namespace: INFRA },
      { kind: 'Service', name: 'web-backend' },
    ),
    httpRoute(ref(INFRA, 'reference-grant'), {
      parents: [parent('same-namespace')],
      rules: [rule({ backends: [backend('web-backend', 8080, { namespace: WEB })] })],
    }),
  ],
  async run(t) {
    const route = ref(INFRA, 'reference-grant');
    const address = await t.step('gateway and route accepted', () =>
      t.cluster.gatewayAndRoutesAccepted(SAME, [route]),
    );
    await t.step('ResolvedRefs', () => t.cluster.routeResolvedRefs(route, SAME));
    await t.step('served with the grant', () =>
      t.http.expect(address, reaches('/', 'web-backend', WEB)),
    );
    await t.cluster.delete(RESOURCES.ReferenceGrant, ref(WEB, 'reference-grant'));
    await t.step('500 without the grant', () => t.http.expect(address, answers('/', 500)));
  },
};

export const INVALID_SCENARIOS: Scenario[] = [
  unknownKind,
  crossNamespaceBackend,
  nonExistentBackend,
  crossNamespaceParent,
  notMatchingSectionName,
  invalidReferenceGrant,
  partiallyInvalid,
  referenceGrantScenario,
];
