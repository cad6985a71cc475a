/**
 * ListenerSet scenarios that check status only: which sets a Gateway's `allowedListeners`
 * admits, conflicts across the merged listeners, and certificate references from a set.
 */
import {
  gateway,
  http,
  INFRA,
  listener,
  namespace,
  ref,
  referenceGrant,
  terminate,
  WEB,
} from '../builders.ts';
import {
  ACCEPTED_LISTENER,
  allowedListeners,
  attachedListenerSets,
  listenerSet,
  setCondition,
  setListenerConditions,
} from '../listenerset.ts';
import type { Scenario, ScenarioContext } from '../scenario.ts';
import type { Ref } from '../builders.ts';
import { cond } from './expect.ts';

const all = (name: string, hostname: string): Record<string, unknown> =>
  http(name, { hostname, from: 'All' });

/** Accepted and Programmed True with reason `reason` ('' = any) on both. */
async function setAccepted(
  t: ScenarioContext,
  ls: Ref,
  acceptedReason = 'Accepted',
): Promise<void> {
  await t.step(`${ls.name} Accepted`, () =>
    setCondition(t.cluster, ls, cond('Accepted', 'True', acceptedReason)),
  );
  await t.step(`${ls.name} Programmed`, () =>
    setCondition(t.cluster, ls, cond('Programmed', 'True', 'Programmed')),
  );
}

/** Accepted and Programmed False, both with `reason`. */
async function setRefused(t: ScenarioContext, ls: Ref, reason: string): Promise<void> {
  await t.step(`${ls.name} Accepted False`, () =>
    setCondition(t.cluster, ls, cond('Accepted', 'False', reason)),
  );
  await t.step(`${ls.name} Programmed False`, () =>
    setCondition(t.cluster, ls, cond('Programmed', 'False', reason)),
  );
}

async function gatewayAccepted(t: ScenarioContext, gw: Ref, sets: number): Promise<void> {
  await t.step('namespace ready', () => t.cluster.namespacesReady([INFRA]));
  await t.step('Gateway Accepted', () => t.cluster.gatewayCondition(gw, cond('Accepted', 'True')));
  await t.step(`${sets} attached ListenerSets`, () => attachedListenerSets(t.cluster, gw, sets));
}

/** A Gateway that refuses sets (`spec` says how), and one set of the infra namespace. */
function notAllowed(
  shortName: string,
  gw: string,
  ls: string,
  spec: Record<string, unknown>,
): Scenario {
  const gwRef = ref(INFRA, gw);
  const lsRef = ref(INFRA, ls);
  return {
    shortName,
    description: `A Gateway ${Object.keys(spec).length === 0 ? 'without allowedListeners' : 'with allowedListeners None'} admits no ListenerSet: NotAllowed, 0 attached.`,
    manifests: [
      gateway(gwRef, [all('gateway-listener', 'gateway-listener.com')], { spec }),
      listenerSet(lsRef, gwRef, [all(`${ls}-listener`, `${ls}-listener.com`)]),
    ],
    async run(t) {
      await gatewayAccepted(t, gwRef, 0);
      await setRefused(t, lsRef, 'NotAllowed');
    },
  };
}

const allowedNone = notAllowed(
  'ListenerSetAllowedNamespaceNone',
  'gateway-does-not-allow-listenerset',
  'listenerset-not-allowed',
  allowedListeners('None'),
);

const defaultNotAllowed = notAllowed(
  'ListenerSetDefaultNotAllowed',
  'gateway-default-does-not-allow-listenerset',
  'listenerset-default-not-allowed',
  {},
);

const SAME_GW = ref(INFRA, 'gateway-allows-listenerset-in-same-namespace');
const OTHER_NS = 'gateway-api-listenerset-not-allowed-ns';

const allowedSame: Scenario = {
  shortName: 'ListenerSetAllowedNamespaceSame',
  description:
    'allowedListeners Same admits the set of the Gateway namespace (its listener Accepted, Programmed) and refuses one of another namespace with NotAllowed.',
  manifests: [
    gateway(SAME_GW, [all('gateway-listener', 'gateway-listener.com')], {
      spec: allowedListeners('Same'),
    }),
    listenerSet(ref(INFRA, 'listenerset-in-same-namespace'), SAME_GW, [
      all('listenerset-in-same-namespace-listener', 'listenerset-in-same-namespace-listener.com'),
    ]),
    namespace(OTHER_NS),
    listenerSet(ref(OTHER_NS, 'listenerset-in-different-namespace'), SAME_GW, [
      all(
        'listenerset-in-different-namespace-listener',
        'listenerset-in-different-namespace-listener',
      ),
    ]),
  ],
  async run(t) {
    await gatewayAccepted(t, SAME_GW, 1);
    const ls = ref(INFRA, 'listenerset-in-same-namespace');
    await setAccepted(t, ls);
    await t.step('listener conditions', () =>
      setListenerConditions(t.cluster, ls, ACCEPTED_LISTENER, [
        'listenerset-in-same-namespace-listener',
      ]),
    );
    await setRefused(t, ref(OTHER_NS, 'listenerset-in-different-namespace'), 'NotAllowed');
  },
};

const SELECTOR_GW = ref(INFRA, 'gateway-allows-listenerset-in-selected-namespace');
const SELECTED_NS = 'gateway-api-listenerset-selector-allowed-ns';
const UNSELECTED_NS = 'gateway-api-listenerset-selector-not-allowed-ns';

const allowedSelector: Scenario = {
  shortName: 'ListenerSetAllowedNamespaceSelector',
  description:
    'allowedListeners Selector admits the set of a namespace with the label and refuses the one without it.',
  manifests: [
    gateway(SELECTOR_GW, [all('gateway-listener', 'gateway-listener.com')], {
      spec: allowedListeners('Selector', { allowed: 'ns' }),
    }),
    namespace(SELECTED_NS, { allowed: 'ns' }),
    listenerSet(ref(SELECTED_NS, 'listenerset-in-selected-namespace'), SELECTOR_GW, [
      all(
        'listenerset-in-selected-namespace-listener',
        'listenerset-in-selected-namespace-listener.com',
      ),
    ]),
    namespace(UNSELECTED_NS),
    listenerSet(ref(UNSELECTED_NS, 'listenerset-not-in-selected-namespace'), SELECTOR_GW, [
      all(
        'listenerset-not-in-selected-namespace-listener',
        'listenerset-not-in-selected-namespace-listener.com',
      ),
    ]),
  ],
  async run(t) {
    await gatewayAccepted(t, SELECTOR_GW, 1);
    const ls = ref(SELECTED_NS, 'listenerset-in-selected-namespace');
    await setAccepted(t, ls);
    await t.step('listener conditions', () =>
      setListenerConditions(t.cluster, ls, ACCEPTED_LISTENER, [
        'listenerset-in-selected-namespace-listener',
      ]),
    );
    await setRefused(t, ref(UNSELECTED_NS, 'listenerset-not-in-selected-namespace'), 'NotAllowed');
  },
};

/**
 * The conflict scenarios share a shape: a Gateway with `gateway-listener` and a listener X, a
 * set (…-gateway-1) with a good listener, a clash with X and a listener Y, a set (…-gateway-2)
 * with only the clash with X, a set (…-listener-set-1) with a good listener and a clash with
 * Y, and a set (…-listener-set-2) with only that clash. Sets apply together, so precedence
 * falls to their names: the earlier listener wins, sets left without a valid one are refused.
 */
function conflictScenario(kind: 'hostname' | 'protocol'): Scenario {
  const shortName =
    kind === 'hostname' ? 'ListenerSetHostnameConflict' : 'ListenerSetProtocolConflict';
  const reason = kind === 'hostname' ? 'HostnameConflict' : 'ProtocolConflict';
  const gw = ref(INFRA, `gateway-with-listenerset-${kind}-conflict`);
  const x = `${kind}-conflict-with-gateway-listener`;
  const y = `${kind}-conflict-with-listener-set-listener`;
  const clash = (name: string): Record<string, unknown> =>
    kind === 'hostname'
      ? all(name, `${name}.com`)
      : listener({ name, port: 80, protocol: 'TCP', from: 'All' });
  const set = (suffix: string): Ref =>
    ref(INFRA, `listenerset-with-${kind}-conflict-with-${suffix}`);
  const conflicted = [
    cond('Accepted', 'False', reason),
    cond('Programmed', 'False', reason),
    cond('Conflicted', 'True', reason),
  ];
  return {
    shortName,
    description: `${reason}s across the merged listeners: the Gateway's and the older set's listener win, the later ones are conflicted; a set without a valid listener is refused with ListenersNotValid.`,
    manifests: [
      gateway(gw, [all('gateway-listener', 'gateway-listener.com'), all(x, `${x}.com`)], {
        spec: allowedListeners('Same'),
      }),
      listenerSet(set('gateway-1'), gw, [
        all('listener-set-1-listener', 'listener-set-1-listener.com'),
        clash(x),
        all(y, `${y}.com`),
      ]),
      listenerSet(set('gateway-2'), gw, [clash(x)]),
      listenerSet(set('listener-set-1'), gw, [
        all('listener-set-2-listener', 'listener-set-2-listener.com'),
        clash(y),
      ]),
      listenerSet(set('listener-set-2'), gw, [clash(y)]),
    ],
    async run(t) {
      await t.step('namespace ready', () => t.cluster.namespacesReady([INFRA]));
      await t.step('Gateway Accepted', () =>
        t.cluster.gatewayCondition(gw, cond('Accepted', 'True')),
      );
      await t.step('Gateway listeners', () =>
        t.cluster.listenersHaveConditions(gw, ACCEPTED_LISTENER, ['gateway-listener', x]),
      );
      await t.step('2 attached ListenerSets', () => attachedListenerSets(t.cluster, gw, 2));
      const check = async (ls: Ref, good: string[], bad: string): Promise<void> => {
        if (good.length > 0) await setAccepted(t, ls, '');
        else await setRefused(t, ls, 'ListenersNotValid');
        if (good.length > 0)
          await t.step(`${ls.name} valid listeners`, () =>
            setListenerConditions(t.cluster, ls, ACCEPTED_LISTENER, good),
          );
        await t.step(`${ls.name} conflicted listener`, () =>
          setListenerConditions(t.cluster, ls, conflicted, [bad]),
        );
      };
      await check(set('gateway-1'), ['listener-set-1-listener', y], x);
      await check(set('gateway-2'), [], x);
      await check(set('listener-set-1'), ['listener-set-2-listener'], y);
      await check(set('listener-set-2'), [], y);
    },
  };
}

const GRANT_GW = ref(INFRA, 'gateway-with-listener-sets-test-reference-grant');
const GRANT_NS = 'gateway-api-listener-sets-test-reference-grant-ns';

const referenceGrantScenario: Scenario = {
  shortName: 'ListenerSetReferenceGrant',
  description:
    "A set listener may use a certificate of another namespace only through a ReferenceGrant from ListenerSet (the Gateway's grant does not count): RefNotPermitted and ListenersNotValid otherwise.",
  manifests: [
    gateway(
      GRANT_GW,
      [
        listener({
          name: 'gateway-listener',
          port: 443,
          protocol: 'HTTPS',
          hostname: 'gateway-listener.com',
          from: 'All',
          tls: terminate(`${WEB}/certificate`),
        }),
      ],
      { spec: allowedListeners('All') },
    ),
    referenceGrant(
      ref(WEB, 'reference-grant-for-gateway'),
      { kind: 'Gateway', namespace: INFRA },
      { kind: 'Secret' },
    ),
    listenerSet(ref(INFRA, 'listenerset-with-reference-grant'), GRANT_GW, [
      listener({
        name: 'listenerset-with-reference-grant-listener',
        port: 443,
        protocol: 'HTTPS',
        hostname: 'listenerset-with-reference-grant-listener.com',
        from: 'All',
        tls: terminate(`${WEB}/certificate`),
      }),
    ]),
    referenceGrant(
      ref(WEB, 'reference-grant-for-listener-set'),
      { kind: 'ListenerSet', namespace: INFRA },
      { kind: 'Secret' },
    ),
    namespace(GRANT_NS),
    listenerSet(ref(GRANT_NS, 'listenerset-without-reference-grant'), GRANT_GW, [
      listener({
        name: 'listenerset-without-reference-grant-listener',
        port: 443,
        protocol: 'HTTPS',
        hostname: 'listenerset-without-reference-grant-listener-1.com',
        from: 'All',
        tls: terminate(`${WEB}/certificate`),
      }),
    ]),
  ],
  async run(t) {
    await t.step('namespace ready', () => t.cluster.namespacesReady([INFRA]));
    await t.step('Gateway Accepted', () =>
      t.cluster.gatewayCondition(GRANT_GW, cond('Accepted', 'True')),
    );
    const granted = ref(INFRA, 'listenerset-with-reference-grant');
    await setAccepted(t, granted, '');
    await t.step('granted listener ResolvedRefs', () =>
      setListenerConditions(
        t.cluster,
        granted,
        [cond('ResolvedRefs', 'True')],
        ['listenerset-with-reference-grant-listener'],
      ),
    );
    const refused = ref(GRANT_NS, 'listenerset-without-reference-grant');
    await setRefused(t, refused, 'ListenersNotValid');
    await t.step('ungranted listener RefNotPermitted', () =>
      setListenerConditions(
        t.cluster,
        refused,
        [cond('ResolvedRefs', 'False', 'RefNotPermitted')],
        ['listenerset-without-reference-grant-listener'],
      ),
    );
  },
};

const KINDS_GW = ref(INFRA, 'gateway-with-listener-sets-test-supported-route-kinds');
const KINDS_LS = ref(INFRA, 'listenerset-test-allowed-routes-supported-kinds');

const supportedKinds: Scenario = {
  shortName: 'ListenerSetAllowedRoutesSupportedKinds',
  description:
    'A TLS passthrough set listener that allows only HTTPRoutes has ResolvedRefs False InvalidRouteKinds.',
  manifests: [
    gateway(KINDS_GW, [all('gateway-listener', 'gateway-listener.com')], {
      spec: allowedListeners('All'),
    }),
    listenerSet(KINDS_LS, KINDS_GW, [
      listener({
        name: 'listener-set-listener-allowed-routes-tls-only',
        port: 443,
        protocol: 'TLS',
        hostname: 'listener-set-listener-allowed-routes-tls-only.com',
        from: 'All',
        kinds: [{ kind: 'HTTPRoute' }],
        tls: { mode: 'Passthrough' },
      }),
    ]),
  ],
  async run(t) {
    await t.step('namespace ready', () => t.cluster.namespacesReady([INFRA]));
    await t.step('Gateway Accepted', () =>
      t.cluster.gatewayCondition(KINDS_GW, cond('Accepted', 'True')),
    );
    await t.step('InvalidRouteKinds', () =>
      setListenerConditions(
        t.cluster,
        KINDS_LS,
        [cond('ResolvedRefs', 'False', 'InvalidRouteKinds')],
        ['listener-set-listener-allowed-routes-tls-only'],
      ),
    );
  },
};

export const LISTENERSET_STATUS_SCENARIOS: Scenario[] = [
  supportedKinds,
  allowedNone,
  allowedSame,
  allowedSelector,
  defaultNotAllowed,
  conflictScenario('hostname'),
  conflictScenario('protocol'),
  referenceGrantScenario,
];
