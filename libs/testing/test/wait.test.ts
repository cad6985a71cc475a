import { describe, expect, it } from 'vitest';
import { StopWaiting, waitFor } from '../src/index.ts';

describe('waitFor', () => {
  it('resolves with the first value that is not undefined, null or false', async () => {
    const values = [undefined, null, false, 0, 'later'];
    let calls = 0;
    const value = await waitFor(() => values[calls++], { description: 'a value', intervalMs: 1 });
    expect(value).toBe(0);
    expect(calls).toBe(4);
  });

  it('retries while the callback throws', async () => {
    let calls = 0;
    const value = await waitFor(
      () => {
        calls++;
        if (calls < 3) throw new Error('not yet');
        return 'ready';
      },
      { description: 'ready', intervalMs: 1 },
    );
    expect(value).toBe('ready');
  });

  it('accepts what `until` accepts, even a falsy value', async () => {
    const values = [3, 2, 1, 0];
    let calls = 0;
    const value = await waitFor(() => values[calls++], {
      description: 'zero',
      intervalMs: 1,
      until: (v) => v === 0,
    });
    expect(value).toBe(0);
  });

  it.each([
    {
      name: 'the last value rejected by until',
      fn: () => ({ state: 'pending' }),
      until: (v: unknown) => (v as { state: string }).state === 'done',
      expected: /waiting for the thing; last value: \{ state: 'pending' \}/,
    },
    {
      name: 'the last falsy value',
      fn: () => false,
      until: undefined,
      expected: /after 60 ms waiting for the thing; last value: false$/,
    },
    {
      name: 'the last error',
      fn: () => {
        throw new Error('connection refused');
      },
      until: undefined,
      expected: /waiting for the thing; last error: connection refused/,
    },
  ])('times out with the description and $name', async ({ fn, until, expected }) => {
    const options = { description: 'the thing', timeoutMs: 60, intervalMs: 10 };
    const wait = until === undefined ? waitFor(fn, options) : waitFor(fn, { ...options, until });
    await expect(wait).rejects.toThrow(expected);
  });

  it('gives up at once on StopWaiting', async () => {
    const started = Date.now();
    let calls = 0;
    await expect(
      waitFor(
        () => {
          calls++;
          throw new StopWaiting('process exited');
        },
        { description: 'x', timeoutMs: 5000 },
      ),
    ).rejects.toThrow('process exited');
    expect(calls).toBe(1);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
