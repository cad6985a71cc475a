/**
 * `npm run bench -- scaling`: the time for a burst of 2,000 route changes over 200 Gateways to
 * converge (IRs and statuses; see `runScalingScenario`) with 1, 2 and 4 reconciler processes,
 * one JSON line each. On a 2-core machine expect little speed-up: the watcher (one process,
 * by design) and the API server are in the path of every change, and each reconcile reads the
 * whole snapshot; the figures show where the time goes, the test proves correctness.
 */
import { runScalingScenario } from '@portico/local-stack';
import { makeTempDir, removeTempDir } from '@portico/testing';

const WORKERS = (process.env.BENCH_WORKERS ?? '1,2,4').split(',').map(Number);
const GATEWAYS = Number(process.env.BENCH_GATEWAYS ?? 200);
const CHANGES_PER_GATEWAY = Number(process.env.BENCH_CHANGES_PER_GATEWAY ?? 10);

export async function runScaling(): Promise<void> {
  for (const workers of WORKERS) {
    const stateDir = await makeTempDir(`bench-scaling-${workers}`);
    try {
      const result = await runScalingScenario({
        stateDir,
        workers,
        gateways: GATEWAYS,
        changesPerGateway: CHANGES_PER_GATEWAY,
      });
      console.log(JSON.stringify({ bench: 'scaling', ...result }));
    } finally {
      await removeTempDir(stateDir);
    }
  }
}
