import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { createLogger } from '@portico/telemetry';

/** A fresh BullMQ prefix per test: the queue name is fixed (`reconcile`), the prefix is not. */
export function freshPrefix(): string {
  return `test-${randomUUID().slice(0, 8)}`;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it holds; throws after `timeoutMs` so a test fails instead of hanging. */
export async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await sleep(25);
  }
}

/** A deterministic pseudo-random sequence (mulberry32), so a burst is the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A logger whose JSON lines land in an array (level debug). */
export function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger('test', { level: 'debug', destination }), lines };
}

export const silentLogger = () => createLogger('test', { level: 'silent' });
