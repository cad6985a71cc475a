/**
 * `npm run conformance -- --profile GATEWAY-HTTP [--run-test NAME]`: runs the local
 * reproduction of the upstream conformance tests, prints one line per test and a closing
 * count, writes `conformance-report.yaml`, and exits non-zero on any failure.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { makeTempDir, removeTempDir, runToCompletion } from '@portico/testing';
import { parseCli, USAGE } from './cli.ts';
import { reportYaml } from './report.ts';
import { runConformance } from './runner.ts';

/** The checkout's commit, as the report's implementation version. */
async function version(): Promise<string> {
  const git = await runToCompletion('git', ['rev-parse', '--short', 'HEAD'], { name: 'git' }).catch(
    () => undefined,
  );
  return git?.code === 0 ? `git-${git.output.trim()}` : 'dev';
}

async function main(): Promise<number> {
  let options;
  try {
    options = parseCli(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  const stateDir = options.stateDir ?? (await makeTempDir('portico-conformance-'));
  try {
    const summary = await runConformance({
      profiles: options.profiles,
      runTests: options.runTests,
      stateDir,
      version: await version(),
      portOffset: options.portOffset,
      statusTimeoutMs: options.statusTimeoutMs,
      consistencyTimeoutMs: options.consistencyTimeoutMs,
      log: (line) => process.stderr.write(`conformance: ${line}\n`),
      onResult: (r) => {
        const tail = r.reason ? `: ${r.reason}` : '';
        process.stdout.write(`${r.outcome} ${r.shortName}${tail}\n`);
      },
    });
    const reportPath = resolve(options.reportPath);
    await writeFile(reportPath, reportYaml(summary.report));
    process.stdout.write(
      `${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped\n`,
    );
    process.stderr.write(`conformance: report written to ${reportPath}\n`);
    return summary.failed > 0 ? 1 : 0;
  } finally {
    if (!options.stateDir) await removeTempDir(stateDir);
  }
}

process.exitCode = await main().catch((error: unknown) => {
  process.stderr.write(
    `conformance: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return 2;
});
