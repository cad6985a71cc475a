/** The harness's command line, parsed without side effects. */
import { parseArgs } from 'node:util';
import { PROFILES, type Profile } from './scenario.ts';

export interface CliOptions {
  profiles: Profile[];
  runTests: string[];
  reportPath: string;
  stateDir: string | undefined;
  portOffset: number;
  statusTimeoutMs: number;
  consistencyTimeoutMs: number;
}

export const USAGE = `usage: npm run conformance -- [--profile ${PROFILES.join('|')}]... [--run-test NAME]...
    [--report conformance-report.yaml] [--state-dir DIR] [--port-offset N]
    [--status-timeout-ms MS] [--consistency-timeout-ms MS]`;

function integer(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`--${name} must be a non-negative integer`);
  return value;
}

export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv = {}): CliOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      profile: { type: 'string', multiple: true },
      'run-test': { type: 'string', multiple: true },
      report: { type: 'string' },
      'state-dir': { type: 'string' },
      'port-offset': { type: 'string' },
      'status-timeout-ms': { type: 'string' },
      'consistency-timeout-ms': { type: 'string' },
    },
    strict: true,
  });
  const profiles = values.profile ?? ['GATEWAY-HTTP'];
  for (const p of profiles) {
    if (!(PROFILES as readonly string[]).includes(p))
      throw new Error(`unknown profile ${p} (known: ${PROFILES.join(', ')})`);
  }
  return {
    profiles: [...new Set(profiles)] as Profile[],
    runTests: values['run-test'] ?? [],
    reportPath: values.report ?? 'conformance-report.yaml',
    stateDir: values['state-dir'],
    portOffset: integer(values['port-offset'] ?? env['PORTICO_PORT_OFFSET'], 'port-offset', 20000),
    statusTimeoutMs: integer(values['status-timeout-ms'], 'status-timeout-ms', 30_000),
    consistencyTimeoutMs: integer(
      values['consistency-timeout-ms'],
      'consistency-timeout-ms',
      15_000,
    ),
  };
}
