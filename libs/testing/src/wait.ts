/**
 * Polling instead of sleeping: tests wait for an observable state (a port answers, a reload
 * took effect) and, when it never comes, fail with what they waited for and what they last saw.
 */
import { inspect } from 'node:util';

/** Options of {@link waitFor}. */
export interface WaitForOptions {
  /** What the caller waits for, in words; it opens the timeout error. */
  description: string;
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * Thrown from inside a {@link waitFor} callback to give up at once (the awaited thing can no
 * longer happen, e.g. the process exited); `waitFor` rejects with it unchanged.
 */
export class StopWaiting extends Error {
  override name = 'StopWaiting';
}

/** Options of {@link waitFor} with a predicate that decides when a value is good enough. */
export interface WaitUntilOptions<T> extends WaitForOptions {
  /** Accepts a value; the last rejected one is shown in the timeout error. */
  until: (value: T) => boolean;
}

type Last = { kind: 'value'; value: unknown } | { kind: 'error'; error: unknown } | undefined;

/**
 * Calls `fn` until it returns an accepted value without throwing, and resolves with it. A
 * value is accepted when `options.until` says so, or else when it is not `undefined`, `null`
 * or `false`. A {@link StopWaiting} error ends the wait at once; on timeout it rejects with an
 * error naming `description` and the last value returned or error thrown.
 */
export function waitFor<T>(fn: () => T | Promise<T>, options: WaitUntilOptions<T>): Promise<T>;
export function waitFor<T>(
  fn: () => T | Promise<T>,
  options: WaitForOptions,
): Promise<Exclude<T, undefined | null | false>>;
export async function waitFor<T>(
  fn: () => T | Promise<T>,
  options: WaitForOptions & { until?: (value: T) => boolean },
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 50;
  const accept =
    options.until ?? ((value: T) => value !== undefined && value !== null && value !== false);
  const deadline = Date.now() + timeoutMs;
  let last: Last;
  for (;;) {
    try {
      const value = await fn();
      if (accept(value)) return value;
      last = { kind: 'value', value };
    } catch (error) {
      if (error instanceof StopWaiting) throw error;
      last = { kind: 'error', error };
    }
    if (Date.now() >= deadline) {
      throw new Error(timeoutMessage(options.description, timeoutMs, last));
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

function timeoutMessage(description: string, timeoutMs: number, last: Last): string {
  const head = `timed out after ${timeoutMs} ms waiting for ${description}`;
  if (last === undefined) return head;
  if (last.kind === 'value') return `${head}; last value: ${inspect(last.value, { depth: 4 })}`;
  const error = last.error;
  const text = error instanceof Error ? error.message : inspect(error);
  return `${head}; last error: ${text}`;
}
