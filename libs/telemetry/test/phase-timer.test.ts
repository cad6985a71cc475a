import { describe, expect, it } from 'vitest';
import { PhaseTimer } from '../src/index.ts';

const busy = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

describe('PhaseTimer', () => {
  it('times each phase from the previous mark and adds up repeated phases', () => {
    const timer = new PhaseTimer();
    busy(15);
    timer.mark('read');
    busy(5);
    timer.mark('write');
    busy(5);
    timer.mark('read');
    const summary = timer.summary();
    expect(Object.keys(summary)).toEqual(['read', 'write']);
    expect(summary.read).toBeGreaterThanOrEqual(19);
    expect(summary.write).toBeGreaterThanOrEqual(4);
    expect(summary.write).toBeLessThan(summary.read ?? 0);
  });
});
