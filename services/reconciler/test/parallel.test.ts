import { describe, expect, it } from 'vitest';
import { forEachLimited } from '../src/parallel.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('forEachLimited', () => {
  it.each([
    { name: 'more items than lanes', items: 20, limit: 4 },
    { name: 'fewer items than lanes', items: 3, limit: 8 },
    { name: 'no items', items: 0, limit: 8 },
  ])(
    'runs every item once, never more than the limit at once ($name)',
    async ({ items, limit }) => {
      let active = 0;
      let peak = 0;
      const done: number[] = [];
      await forEachLimited([...Array(items).keys()], limit, async (i) => {
        active++;
        peak = Math.max(peak, active);
        await sleep(2);
        done.push(i);
        active--;
      });
      expect(done.sort((a, b) => a - b)).toEqual([...Array(items).keys()]);
      expect(peak).toBe(Math.min(items, limit));
    },
  );

  it('finishes the other items when one fails, then throws the first failure', async () => {
    const done: number[] = [];
    const run = forEachLimited([1, 2, 3, 4, 5], 2, async (i) => {
      await sleep(i);
      if (i === 2 || i === 4) throw new Error(`item ${i}`);
      done.push(i);
    });
    await expect(run).rejects.toThrow('item 2');
    expect(done.sort()).toEqual([1, 3, 5]);
  });
});
