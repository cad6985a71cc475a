/**
 * Issue 6, horizontal scaling: with 1 and then 4 reconciler processes on one machine, a burst
 * of 2,000 route changes over 200 Gateways converges correctly both times: every Gateway's IR
 * holds its route's last path (not the one before) and every route and Gateway status observed
 * its current generation (`runScalingScenario` waits for exactly that, or fails with what
 * lags). `npm run bench -- scaling` prints the times.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runScalingScenario } from '@portico/local-stack';
import { makeTempDir, removeTempDir } from '@portico/testing';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await removeTempDir(dir);
});

describe('2,000 changes over 200 Gateways', () => {
  it.each([1, 4])(
    'converge with %i reconciler process(es)',
    { timeout: 600_000 },
    async (workers) => {
      const stateDir = await makeTempDir(`scaling-${workers}`);
      dirs.push(stateDir);
      const result = await runScalingScenario({
        stateDir,
        workers,
        gateways: 200,
        changesPerGateway: 10,
        timeoutMs: 400_000,
      });
      expect(result).toMatchObject({ workers, gateways: 200, changes: 2_000 });
      expect(result.convergeMs).toBeGreaterThanOrEqual(result.sendMs);
    },
  );
});
