/**
 * The run's results as an upstream-shaped ConformanceReport (conformance/apis/v1): per
 * profile, core and extended statistics with failed and skipped test names, a summary
 * sentence, and the supported and unsupported features. Pure: `now` and the claimed features
 * are passed in.
 */
import { stringify } from 'yaml';
import type { CatalogueEntry } from './catalogue.ts';
import type { Profile } from './scenario.ts';

export type Outcome = 'PASS' | 'FAIL' | 'SKIP';

export interface TestResult {
  shortName: string;
  outcome: Outcome;
  reason?: string;
  durationMs: number;
}

interface Status {
  result: 'success' | 'partial' | 'failure';
  statistics: { Passed: number; Skipped: number; Failed: number };
  skippedTests?: string[];
  failedTests?: string[];
}

export interface ProfileInput {
  name: Profile;
  tests: CatalogueEntry[];
  coreFeatures: string[];
}

export interface ReportInput {
  now: Date;
  version: string;
  profiles: ProfileInput[];
  results: TestResult[];
  /** What the implementation claims (GatewayClass `status.supportedFeatures`). */
  claimedFeatures: string[];
}

function status(results: TestResult[]): Status {
  const count = (o: Outcome): number => results.filter((r) => r.outcome === o).length;
  const names = (o: Outcome): string[] =>
    results.filter((r) => r.outcome === o).map((r) => r.shortName);
  const statistics = { Passed: count('PASS'), Skipped: count('SKIP'), Failed: count('FAIL') };
  const result = statistics.Failed > 0 ? 'failure' : statistics.Skipped > 0 ? 'partial' : 'success';
  return {
    result,
    statistics,
    ...(statistics.Skipped > 0 ? { skippedTests: names('SKIP') } : {}),
    ...(statistics.Failed > 0 ? { failedTests: names('FAIL') } : {}),
  };
}

function summaryOf(s: Status): string {
  if (s.result === 'success') return 'succeeded';
  if (s.result === 'partial') return `partially succeeded with ${s.statistics.Skipped} test skips`;
  return `failed with ${s.statistics.Failed} test failures`;
}

function profileReport(profile: ProfileInput, input: ReportInput): Record<string, unknown> {
  const byName = new Map(input.results.map((r) => [r.shortName, r]));
  const ran = (support: 'core' | 'extended'): TestResult[] =>
    profile.tests
      .filter((t) => t.support === support)
      .flatMap((t) => {
        const r = byName.get(t.shortName);
        return r ? [r] : [];
      });
  const core = status(ran('core'));
  const extendedResults = ran('extended');
  const profileFeatures = [...new Set(profile.tests.flatMap((t) => t.features))]
    .filter((f) => !profile.coreFeatures.includes(f))
    .sort();
  const extended =
    extendedResults.length === 0
      ? undefined
      : {
          ...status(extendedResults),
          supportedFeatures: profileFeatures.filter((f) => input.claimedFeatures.includes(f)),
          unsupportedFeatures: profileFeatures.filter((f) => !input.claimedFeatures.includes(f)),
        };
  let summary = `Core tests ${summaryOf(core)}`;
  if (extended) summary += `. Extended tests ${summaryOf(extended)}`;
  return { name: profile.name, summary: `${summary}.`, core, ...(extended ? { extended } : {}) };
}

/** The report object (serialise with {@link reportYaml}). */
export function buildReport(input: ReportInput): Record<string, unknown> {
  const provisional = new Set(
    input.profiles.flatMap((p) => p.tests.filter((t) => t.provisional).map((t) => t.shortName)),
  );
  const succeededProvisional = input.results
    .filter((r) => r.outcome === 'PASS' && provisional.has(r.shortName))
    .map((r) => r.shortName)
    .sort();
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'ConformanceReport',
    implementation: {
      organization: 'portico',
      project: 'portico',
      url: 'https://portico.dev',
      version: input.version,
      contact: ['portico maintainers'],
    },
    date: input.now.toISOString(),
    gatewayAPIVersion: 'v1.6.1',
    mode: 'default',
    gatewayAPIChannel: 'standard',
    profiles: input.profiles.map((p) => profileReport(p, input)),
    ...(succeededProvisional.length > 0 ? { succeededProvisionalTests: succeededProvisional } : {}),
  };
}

export function reportYaml(report: Record<string, unknown>): string {
  return stringify(report);
}
