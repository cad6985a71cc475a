import { describe, expect, it } from 'vitest';
import { waitFor } from '@portico/testing';
import { Coalescer } from '../src/coalescer.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A run that takes `runMs`, recording how many runs overlapped and when each started. */
function recordingRun(runMs: number) {
  const state = { runs: 0, active: 0, maxActive: 0, started: [] as number[] };
  const run = async () => {
    state.runs++;
    state.active++;
    state.maxActive = Math.max(state.maxActive, state.active);
    state.started.push(Date.now());
    await sleep(runMs);
    state.active--;
  };
  return { state, run };
}

describe('Coalescer', () => {
  it('turns a burst of triggers within the settle delay into one run', async () => {
    const { state, run } = recordingRun(5);
    const coalescer = new Coalescer(30, run);
    for (let i = 0; i < 200; i++) coalescer.trigger();
    await sleep(10);
    expect(state.runs).toBe(0);
    await waitFor(() => state.runs === 1, { description: 'one run', timeoutMs: 2_000 });
    await coalescer.idle();
    await sleep(60);
    expect(state.runs).toBe(1);
  });

  it('makes exactly one more run for any number of triggers during a run', async () => {
    const { state, run } = recordingRun(100);
    const coalescer = new Coalescer(5, run);
    coalescer.trigger();
    await waitFor(() => state.active === 1, { description: 'the first run to start' });
    for (let i = 0; i < 50; i++) coalescer.trigger();
    await waitFor(() => state.runs === 2, { description: 'a second run', timeoutMs: 2_000 });
    await coalescer.idle();
    await sleep(50);
    expect(state.runs).toBe(2);
    expect(state.maxActive).toBe(1);
  });

  it('never overlaps runs and keeps their number small under a long stream of triggers', async () => {
    const { state, run } = recordingRun(30);
    const coalescer = new Coalescer(10, run);
    const end = Date.now() + 600;
    let triggers = 0;
    while (Date.now() < end) {
      coalescer.trigger();
      triggers++;
      await sleep(2);
    }
    await coalescer.idle();
    expect(triggers).toBeGreaterThan(100);
    expect(state.maxActive).toBe(1);
    // A run takes 30 ms and is preceded by a 10 ms settle: at most one run per ~40 ms.
    expect(state.runs).toBeGreaterThan(1);
    expect(state.runs).toBeLessThanOrEqual(Math.ceil(600 / 40) + 2);
  });

  it('idle() waits for the scheduled and the running run', async () => {
    const { state, run } = recordingRun(50);
    const coalescer = new Coalescer(20, run);
    await coalescer.idle();
    coalescer.trigger();
    await coalescer.idle();
    expect(state.runs).toBe(1);
    expect(state.active).toBe(0);
  });

  it('lets the next run start once the running one hands over, and idle() waits for both', async () => {
    const events: string[] = [];
    let handOvers = 0;
    const run = async (handOver: () => void) => {
      const n = ++handOvers;
      events.push(`start ${n}`);
      await sleep(20);
      handOver();
      await sleep(150);
      events.push(`end ${n}`);
    };
    const coalescer = new Coalescer(5, run);
    coalescer.trigger();
    await waitFor(() => events.length === 1, { description: 'the first run to start' });
    coalescer.trigger(); // before the hand-over: pending, starts after it
    await waitFor(() => events.includes('start 2'), {
      description: 'a second run',
      timeoutMs: 2_000,
    });
    // The second run started while the first was still finishing.
    expect(events).toEqual(['start 1', 'start 2']);
    await coalescer.idle();
    expect(events).toEqual(['start 1', 'start 2', 'end 1', 'end 2']);
  });

  it('cancel() drops a scheduled run and a pending re-run', async () => {
    const { state, run } = recordingRun(50);
    const coalescer = new Coalescer(20, run);
    coalescer.trigger();
    coalescer.cancel();
    await sleep(60);
    expect(state.runs).toBe(0);

    coalescer.trigger();
    await waitFor(() => state.active === 1, { description: 'a run to start' });
    coalescer.trigger();
    coalescer.cancel();
    await coalescer.idle();
    await sleep(60);
    expect(state.runs).toBe(1);
  });
});
