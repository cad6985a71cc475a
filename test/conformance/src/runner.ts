/**
 * Runs the selected conformance tests against one environment, one after the other (they
 * share the base Gateways, like the upstream suite without parallelism): each scenario's
 * objects applied, its steps run, its objects deleted; then the report.
 */
import { PROFILE_CATALOGUES, UNCLAIMED_FEATURES, type CatalogueEntry } from './catalogue.ts';
import { CLASS_NAME } from './builders.ts';
import { RESOURCES } from '@portico/kube';
import { startEnvironment, type Environment } from './environment.ts';
import { buildReport, type ProfileInput, type TestResult } from './report.ts';
import type { Profile, Scenario, ScenarioContext } from './scenario.ts';
import { SCENARIOS } from './scenarios/index.ts';

export interface RunOptions {
  profiles: Profile[];
  /** Only these ShortNames (all of the profiles when empty). */
  runTests?: string[];
  stateDir: string;
  /** Port offset of the first Gateway's data plane. */
  portOffset: number;
  statusTimeoutMs?: number;
  consistencyTimeoutMs?: number;
  /** Defaults to every scenario the harness has. */
  scenarios?: Scenario[];
  version?: string;
  onResult?: (result: TestResult) => void;
  /** Progress lines (environment start, base readiness). */
  log?: (line: string) => void;
}

export interface RunSummary {
  results: TestResult[];
  report: Record<string, unknown>;
  passed: number;
  failed: number;
  skipped: number;
}

/** The catalogue entries to run, in catalogue order, without duplicates. */
export function selectTests(profiles: Profile[], runTests: string[] = []): CatalogueEntry[] {
  const all = profiles.flatMap((p) => PROFILE_CATALOGUES[p].tests);
  const unique = [...new Map(all.map((t) => [t.shortName, t])).values()];
  if (runTests.length === 0) return unique;
  const unknown = runTests.filter((name) => !unique.some((t) => t.shortName === name));
  if (unknown.length > 0)
    throw new Error(`not in profile(s) ${profiles.join(', ')}: ${unknown.join(', ')}`);
  return unique.filter((t) => runTests.includes(t.shortName));
}

/** Why a test is skipped (a feature Portico does not claim), if it is. */
export function skipReason(
  entry: CatalogueEntry,
  unclaimed: Readonly<Record<string, string>> = UNCLAIMED_FEATURES,
): string | undefined {
  const feature = entry.features.find((f) => f in unclaimed);
  return feature ? `needs ${feature}: ${unclaimed[feature]}` : undefined;
}

const message = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';

async function runScenario(env: Environment, scenario: Scenario): Promise<string | undefined> {
  const steps: string[] = [];
  const t: ScenarioContext = {
    cluster: env.cluster,
    http: env.http,
    backends: env.backends,
    step: async (name, fn) => {
      steps.push(name);
      const result = await fn();
      steps.pop();
      return result;
    },
  };
  try {
    await env.cluster.apply(scenario.manifests);
    await scenario.run(t);
    return undefined;
  } catch (error) {
    return [...steps, message(error)].join(': ');
  } finally {
    await env.cluster.remove(scenario.manifests).catch(() => undefined);
  }
}

async function claimedFeatures(env: Environment): Promise<string[]> {
  const gwc = await env.cluster
    .get(RESOURCES.GatewayClass, { name: CLASS_NAME })
    .catch(() => undefined);
  const raw =
    (gwc?.status as { supportedFeatures?: unknown[] } | undefined)?.supportedFeatures ?? [];
  return raw
    .map((f) => (typeof f === 'string' ? f : ((f as { name?: string }).name ?? '')))
    .filter(Boolean)
    .sort();
}

export async function runConformance(options: RunOptions): Promise<RunSummary> {
  const selected = selectTests(options.profiles, options.runTests);
  const scenarios = new Map((options.scenarios ?? SCENARIOS).map((s) => [s.shortName, s]));
  const results: TestResult[] = [];
  const record = (result: TestResult): void => {
    results.push(result);
    options.onResult?.(result);
  };
  const runnable = selected.filter((t) => !skipReason(t) && scenarios.has(t.shortName));
  let env: Environment | undefined;
  let claimed: string[] = [];
  try {
    if (runnable.length > 0) {
      options.log?.(`starting the local stack and the base of the suite in ${options.stateDir}`);
      env = await startEnvironment({
        stateDir: options.stateDir,
        portOffset: options.portOffset,
        statusTimeoutMs: options.statusTimeoutMs ?? 30_000,
        consistencyTimeoutMs: options.consistencyTimeoutMs ?? 15_000,
      });
      if (env.baseNotReady) options.log?.(`warning: the base is not ready: ${env.baseNotReady}`);
    }
    for (const entry of selected) {
      const skip = skipReason(entry);
      const scenario = scenarios.get(entry.shortName);
      if (skip) {
        record({ shortName: entry.shortName, outcome: 'SKIP', reason: skip, durationMs: 0 });
      } else if (!scenario || !env) {
        record({
          shortName: entry.shortName,
          outcome: 'FAIL',
          reason: 'no scenario for this test in the harness yet',
          durationMs: 0,
        });
      } else {
        const started = Date.now();
        const failure = await runScenario(env, scenario);
        record({
          shortName: entry.shortName,
          outcome: failure === undefined ? 'PASS' : 'FAIL',
          ...(failure === undefined ? {} : { reason: failure }),
          durationMs: Date.now() - started,
        });
      }
    }
    if (env) claimed = await claimedFeatures(env);
  } finally {
    await env?.stop();
  }
  const profiles: ProfileInput[] = options.profiles.map((name) => ({
    name,
    ...PROFILE_CATALOGUES[name],
  }));
  const report = buildReport({
    now: new Date(),
    version: options.version ?? 'dev',
    profiles,
    results,
    claimedFeatures: claimed,
  });
  const count = (o: TestResult['outcome']): number => results.filter((r) => r.outcome === o).length;
  return { results, report, passed: count('PASS'), failed: count('FAIL'), skipped: count('SKIP') };
}
