import { describe, expect, it } from 'vitest';
import { parseCli } from '../src/cli.ts';
import { compareRoundTrip, type Captured, type Expected } from '../src/http-compare.ts';
import { buildReport } from '../src/report.ts';
import { selectTests, skipReason } from '../src/runner.ts';
import {
  findCondition,
  listenersMatch,
  parentsMatch,
  staleConditions,
} from '../src/status-match.ts';
import {
  GATEWAY_HTTP,
  GATEWAY_HTTP_CORE_FEATURES,
  PROFILE_CATALOGUES,
  type CatalogueEntry,
} from '../src/catalogue.ts';

interface ProfileShape {
  summary: string;
  core: unknown;
  extended?: { statistics: unknown; supportedFeatures: string[]; unsupportedFeatures: string[] };
}

const echo = (over: Partial<NonNullable<Captured['echo']>> = {}): Captured => ({
  status: 200,
  headers: {},
  echo: {
    path: '/',
    host: 'h',
    method: 'GET',
    headers: {},
    namespace: 'ns',
    pod: 'infra-backend-v1-local-0',
    ...over,
  },
});

describe('compareRoundTrip (upstream CompareRoundTrip semantics)', () => {
  const base: Expected = { request: { path: '/' }, backend: 'infra-backend-v1', namespace: 'ns' };
  it.each<[string, Expected, Captured, string | undefined]>([
    ['matching answer', base, echo(), undefined],
    ['wrong status', base, { status: 404, headers: {} }, 'expected status 200, got 404'],
    [
      'wrong pod',
      base,
      echo({ pod: 'infra-backend-v2-local-0' }),
      'answered by pod infra-backend-v2-local-0, expected infra-backend-v1-*',
    ],
    [
      'wrong namespace',
      base,
      echo({ namespace: 'other' }),
      'answered from namespace other, expected ns',
    ],
    ['path seen differs', base, echo({ path: '/x' }), 'backend saw path /x, expected /'],
    [
      '404 expected, no backend checks',
      { request: { path: '/' }, status: [404] },
      { status: 404, headers: {} },
      undefined,
    ],
    [
      'header expected by backend',
      { ...base, backendRequest: { headers: { 'X-A': '1,2' } } },
      echo({ headers: { 'X-A': ['1', '2'] } }),
      undefined,
    ],
    [
      'header expected absent',
      { ...base, backendRequest: { absentHeaders: ['x-gone'] } },
      echo({ headers: { 'X-Gone': ['v'] } }),
      'backend saw header x-gone, expected it removed',
    ],
    [
      'redirect host',
      { request: { path: '/p' }, status: [302], redirect: { host: 'example.org' } },
      { status: 302, headers: {}, location: 'http://example.org/p' },
      undefined,
    ],
    [
      'redirect keeps a non-default port',
      { request: { path: '/p' }, status: [302], redirect: { host: 'example.org' } },
      { status: 302, headers: {}, location: 'http://example.org:8080/p' },
      'for http, expected redirect port 80 or none, got 8080',
    ],
  ])('%s', (_name, expected, captured, want) => {
    expect(compareRoundTrip(expected, 'http', captured)).toBe(want);
  });
});

describe('status matching (upstream kubernetes helpers)', () => {
  it.each([
    ['any reason', { type: 'Accepted', status: 'True' }, undefined],
    [
      'reason differs',
      { type: 'Accepted', status: 'True', reason: 'Other' },
      'expected Accepted=True/Other, have Accepted=True/Accepted',
    ],
  ])('findCondition: %s', (_n, want, result) => {
    expect(findCondition([{ type: 'Accepted', status: 'True', reason: 'Accepted' }], want)).toBe(
      result,
    );
  });

  it('staleConditions names the stale ones', () => {
    expect(
      staleConditions(2, [
        { type: 'A', observedGeneration: 2 },
        { type: 'B', observedGeneration: 1 },
      ]),
    ).toBe('expected observedGeneration 2 on every condition; stale: B (generation 1)');
  });

  it('listenersMatch checks attachedRoutes and empty supportedKinds', () => {
    const have = [
      {
        name: 'http',
        attachedRoutes: 1,
        supportedKinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }],
        conditions: [],
      },
    ];
    expect(
      listenersMatch(have, [
        { name: 'http', attachedRoutes: 1, supportedKinds: [{ kind: 'HTTPRoute' }] },
      ]),
    ).toBeUndefined();
    expect(listenersMatch(have, [{ name: 'http', attachedRoutes: 2 }])).toBe(
      'listener http: expected no supportedKinds, have HTTPRoute (has (none))',
    );
  });

  it('parentsMatch ignores an unset namespace unless required', () => {
    const actual = [
      {
        parentRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw' },
        controllerName: 'c',
        conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted' }],
      },
    ];
    const expected = actual.map((p) => ({ ...p, parentRef: { ...p.parentRef, namespace: 'ns' } }));
    expect(parentsMatch(actual, expected, false)).toBeUndefined();
    expect(parentsMatch(actual, expected, true)).toMatch(/parentRef.namespace \(unset\)/);
  });
});

describe('selection, skips and the report', () => {
  it('rejects a test that is not in the profile', () => {
    expect(() => selectTests(['GATEWAY-HTTP'], ['NoSuchTest'])).toThrow(/NoSuchTest/);
  });

  it('skips only tests that need an unclaimed feature', () => {
    const byName = (n: string): CatalogueEntry => {
      const found = GATEWAY_HTTP.find((t) => t.shortName === n);
      if (!found) throw new Error(`no ${n} in the catalogue`);
      return found;
    };
    const unclaimed = { BackendTLSPolicySANValidation: 'not built' };
    expect(skipReason(byName('BackendTLSPolicySANValidation'), unclaimed)).toBe(
      'needs BackendTLSPolicySANValidation: not built',
    );
    expect(skipReason(byName('BackendTLSPolicy'), unclaimed)).toBeUndefined();
    // Every feature of the catalogue is claimed today: nothing is skipped.
    expect(GATEWAY_HTTP.map((t) => skipReason(t)).filter(Boolean)).toEqual([]);
    expect(skipReason(byName('HTTPRouteQueryParamMatching'))).toBeUndefined();
  });

  it('builds core and extended status like upstream', () => {
    const report = buildReport({
      now: new Date('2026-01-01T00:00:00Z'),
      version: 'v0',
      profiles: [
        { name: 'GATEWAY-HTTP', tests: GATEWAY_HTTP, coreFeatures: GATEWAY_HTTP_CORE_FEATURES },
      ],
      results: [
        { shortName: 'HTTPRouteSimpleSameNamespace', outcome: 'PASS', durationMs: 1 },
        { shortName: 'HTTPRouteHeaderMatching', outcome: 'FAIL', reason: 'x', durationMs: 1 },
        { shortName: 'HTTPRouteQueryParamMatching', outcome: 'FAIL', reason: 'x', durationMs: 1 },
        { shortName: 'BackendTLSPolicy', outcome: 'SKIP', reason: 'x', durationMs: 0 },
      ],
      claimedFeatures: ['Gateway', 'HTTPRoute', 'ReferenceGrant'],
    });
    const profile = (report['profiles'] as ProfileShape[])[0];
    expect(profile?.core).toEqual({
      result: 'failure',
      statistics: { Passed: 1, Skipped: 0, Failed: 1 },
      failedTests: ['HTTPRouteHeaderMatching'],
    });
    expect(profile?.extended?.statistics).toEqual({ Passed: 0, Skipped: 1, Failed: 1 });
    expect(profile?.extended?.supportedFeatures).toEqual([]);
    expect(profile?.extended?.unsupportedFeatures).toContain('HTTPRouteQueryParamMatching');
    expect(profile?.summary).toBe(
      'Core tests failed with 1 test failures. Extended tests failed with 1 test failures.',
    );
    expect(report['gatewayAPIVersion']).toBe('v1.6.1');
  });

  it('parses repeated profiles and tests', () => {
    const cli = parseCli([
      '--profile',
      'GATEWAY-HTTP',
      '--profile',
      'GATEWAY-HTTP',
      '--run-test',
      'A',
      '--run-test',
      'B',
    ]);
    expect(cli.profiles).toEqual(['GATEWAY-HTTP']);
    expect(cli.runTests).toEqual(['A', 'B']);
    expect(() => parseCli(['--profile', 'GATEWAY-NOPE'])).toThrow(/unknown profile/);
  });

  it('parses every gateway profile of the upstream suite', () => {
    const args = ['GATEWAY-TCP', 'GATEWAY-UDP', 'GATEWAY-GRPC', 'GATEWAY-TLS', 'GATEWAY-HTTP'];
    const cli = parseCli(args.flatMap((p) => ['--profile', p]));
    expect(cli.profiles).toEqual(args);
  });
});

describe('profiles of the catalogue (upstream v1.6.1 profiles.go)', () => {
  const names = (profile: keyof typeof PROFILE_CATALOGUES, support: string): string[] =>
    PROFILE_CATALOGUES[profile].tests.filter((t) => t.support === support).map((t) => t.shortName);

  it.each([
    // [profile, core tests, extended tests]: 11 Gateway core tests and 10 Gateway extended
    // tests (ListenerSet, addresses, infrastructure) count in every gateway profile.
    ['GATEWAY-HTTP', 37, 57],
    ['GATEWAY-TLS', 20, 15],
    ['GATEWAY-GRPC', 15, 11],
    ['GATEWAY-TCP', 19, 10],
    ['GATEWAY-UDP', 20, 10],
  ] as const)('%s has %i core and %i extended tests', (profile, core, extended) => {
    expect(names(profile, 'core')).toHaveLength(core);
    expect(names(profile, 'extended')).toHaveLength(extended);
  });

  it.each([
    ['GATEWAY-TCP', 'TCPRouteWeightedRouting', 'core'],
    ['GATEWAY-TCP', 'GatewayModifyListeners', 'core'],
    ['GATEWAY-TCP', 'ListenerSetHostnameConflict', 'extended'],
    ['GATEWAY-UDP', 'UDPRoute', 'core'],
    ['GATEWAY-GRPC', 'GRPCRouteWeight', 'core'],
    ['GATEWAY-GRPC', 'GatewaySecretReferenceGrantSpecific', 'core'],
    ['GATEWAY-GRPC', 'GRPCRouteNamedRule', 'extended'],
    ['GATEWAY-TLS', 'TLSRouteSimpleSameNamespace', 'core'],
  ] as const)('%s counts %s as %s', (profile, test, support) => {
    expect(names(profile, support)).toContain(test);
  });

  it.each([
    ['GATEWAY-TCP', 'GatewayWithAttachedRoutes'],
    ['GATEWAY-UDP', 'TCPRouteWeightedRouting'],
    ['GATEWAY-GRPC', 'HTTPRouteSimpleSameNamespace'],
    ['GATEWAY-HTTP', 'GRPCRouteWeight'],
  ] as const)('%s leaves out %s (needs a feature outside the profile)', (profile, test) => {
    expect(PROFILE_CATALOGUES[profile].tests.map((t) => t.shortName)).not.toContain(test);
  });

  it('runs a test shared by several selected profiles once', () => {
    const names = selectTests(['GATEWAY-TCP', 'GATEWAY-UDP']).map((t) => t.shortName);
    expect(names.filter((n) => n === 'GatewayModifyListeners')).toHaveLength(1);
    expect(names).toContain('TCPRouteWeightedRouting');
    expect(names).toContain('UDPRouteWeightedRouting');
    expect(names).toHaveLength(29 + 30 - 21);
  });

  it('reports one entry per profile with its own counts', () => {
    const report = buildReport({
      now: new Date('2026-01-01T00:00:00Z'),
      version: 'v0',
      profiles: (['GATEWAY-TCP', 'GATEWAY-UDP'] as const).map((name) => ({
        name,
        ...PROFILE_CATALOGUES[name],
      })),
      results: [
        { shortName: 'TCPRouteWeightedRouting', outcome: 'PASS', durationMs: 1 },
        { shortName: 'GatewayModifyListeners', outcome: 'PASS', durationMs: 1 },
        { shortName: 'UDPRoute', outcome: 'FAIL', reason: 'x', durationMs: 1 },
      ],
      claimedFeatures: ['Gateway', 'TCPRoute'],
    });
    const [tcp, udp] = report['profiles'] as Array<ProfileShape & { name: string }>;
    expect(tcp?.name).toBe('GATEWAY-TCP');
    expect(tcp?.core).toEqual({
      result: 'success',
      statistics: { Passed: 2, Skipped: 0, Failed: 0 },
    });
    expect(udp?.name).toBe('GATEWAY-UDP');
    expect(udp?.core).toEqual({
      result: 'failure',
      statistics: { Passed: 1, Skipped: 0, Failed: 1 },
      failedTests: ['UDPRoute'],
    });
  });
});
