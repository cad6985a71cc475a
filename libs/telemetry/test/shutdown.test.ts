import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createLogger, handleShutdown } from '../src/index.ts';

const child = fileURLToPath(new URL('./fixtures/shutdown-child.ts', import.meta.url));

/** Starts the fixture on this Node, sends `signal` once it is ready (twice when asked). */
function runChild(scenario: string, signal: NodeJS.Signals, times = 1) {
  return new Promise<{ code: number | null; out: string[] }>((resolve, reject) => {
    const proc = spawn(process.execPath, [child, scenario], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      const before = out;
      out += chunk.toString();
      if (!before.includes('ready\n') && out.includes('ready\n')) {
        for (let i = 0; i < times; i++) proc.kill(signal);
      }
    });
    proc.on('error', reject);
    proc.on('exit', (code) => resolve({ code, out: out.split('\n').filter(Boolean) }));
  });
}

describe('handleShutdown in a real process', () => {
  it.each([
    [
      'SIGTERM closes the steps in order and exits 0',
      'ok',
      'SIGTERM',
      1,
      0,
      ['ready', 'worker', 'ops-server', 'redis'],
    ],
    ['SIGINT does the same', 'ok', 'SIGINT', 1, 0, ['ready', 'worker', 'ops-server', 'redis']],
    [
      'a second signal does not run the steps again',
      'ok',
      'SIGTERM',
      2,
      0,
      ['ready', 'worker', 'ops-server', 'redis'],
    ],
    [
      'a failing step still closes the rest, then exits 1',
      'failing',
      'SIGTERM',
      1,
      1,
      ['ready', 'worker', 'redis'],
    ],
    ['a step past the deadline exits 1', 'slow', 'SIGTERM', 1, 1, ['ready', 'worker']],
  ])('%s', async (_name, scenario, signal, times, code, out) => {
    const result = await runChild(scenario, signal as NodeJS.Signals, times);
    expect(result).toEqual({ code, out });
  });
});

describe('handleShutdown triggered in-process', () => {
  it('runs once however often it is asked and reports the exit code', async () => {
    const exits: number[] = [];
    const closed: string[] = [];
    const handle = handleShutdown(
      createLogger('t', { level: 'silent' }),
      [{ name: 'a', close: () => void closed.push('a') }],
      { exit: (code) => exits.push(code), signals: [] },
    );
    const codes = await Promise.all([handle.shutdown('test'), handle.shutdown('again')]);
    handle.dispose();
    expect({ codes, exits, closed }).toEqual({ codes: [0, 0], exits: [0], closed: ['a'] });
  });
});
