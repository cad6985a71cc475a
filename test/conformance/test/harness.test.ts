/**
 * The harness end to end, on the real local stack: two upstream scenarios that Portico passes,
 * and a scenario whose expectation is deliberately wrong, to show the harness does fail (with
 * a reason naming what the backend reported).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir } from '@portico/testing';
import { backend, httpRoute, INFRA, parent, ref, rule } from '../src/builders.ts';
import { runConformance, type RunSummary } from '../src/runner.ts';
import type { Scenario } from '../src/scenario.ts';
import { SCENARIOS } from '../src/scenarios/index.ts';

const pick = (name: string): Scenario => {
  const found = SCENARIOS.find((s) => s.shortName === name);
  if (!found) throw new Error(`no scenario ${name}`);
  return found;
};

/** Routes to v1 but expects v2: must FAIL. Borrows a catalogue name so the runner takes it. */
const wrongOnPurpose: Scenario = {
  shortName: 'HTTPRouteExactPathMatching',
  description: 'deliberately wrong expectation',
  manifests: [
    httpRoute(ref(INFRA, 'harness-self-check'), {
      parents: [parent('same-namespace')],
      rules: [rule({ backends: [backend('infra-backend-v1', 8080)] })],
    }),
  ],
  async run(t) {
    const address = await t.cluster.gatewayAndRoutesAccepted(ref(INFRA, 'same-namespace'), [
      ref(INFRA, 'harness-self-check'),
    ]);
    await t.step('request', () =>
      t.http.expect(address, {
        request: { path: '/' },
        backend: 'infra-backend-v2',
        namespace: INFRA,
      }),
    );
  },
};

describe('conformance harness on the local stack', () => {
  let stateDir: string;
  let summary: RunSummary;

  beforeAll(async () => {
    stateDir = await makeTempDir('portico-conformance-test-');
    summary = await runConformance({
      profiles: ['GATEWAY-HTTP'],
      runTests: [
        'HTTPRouteSimpleSameNamespace',
        'HTTPRouteInvalidNonExistentBackendRef',
        'HTTPRouteExactPathMatching',
      ],
      scenarios: [
        pick('HTTPRouteSimpleSameNamespace'),
        pick('HTTPRouteInvalidNonExistentBackendRef'),
        wrongOnPurpose,
      ],
      stateDir,
      portOffset: 21000,
      statusTimeoutMs: 15_000,
      consistencyTimeoutMs: 5_000,
    });
  }, 300_000);

  afterAll(async () => {
    if (stateDir) await removeTempDir(stateDir);
  });

  it.each(['HTTPRouteSimpleSameNamespace', 'HTTPRouteInvalidNonExistentBackendRef'])(
    '%s passes',
    (name) => {
      const result = summary.results.find((r) => r.shortName === name);
      expect(result?.reason).toBeUndefined();
      expect(result?.outcome).toBe('PASS');
    },
  );

  it('fails a wrong expectation with the reason', () => {
    const result = summary.results.find((r) => r.shortName === 'HTTPRouteExactPathMatching');
    expect(result?.outcome).toBe('FAIL');
    expect(result?.reason).toMatch(
      /^request: GET \/ -> infra-backend-v2: answered by pod infra-backend-v1-local-\d, expected infra-backend-v2-\*$/,
    );
    expect(summary).toMatchObject({ passed: 2, failed: 1, skipped: 0 });
  });

  it('reports in the upstream shape', () => {
    const [profile] = summary.report['profiles'] as Array<Record<string, unknown>>;
    expect(profile).toMatchObject({
      name: 'GATEWAY-HTTP',
      core: {
        result: 'failure',
        statistics: { Passed: 2, Failed: 1, Skipped: 0 },
        failedTests: ['HTTPRouteExactPathMatching'],
      },
    });
  });
});
