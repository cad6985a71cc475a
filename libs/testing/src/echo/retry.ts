/**
 * The conformance echo server's retry simulation (`/retry/...`): a flaky backend for testing
 * a gateway's retries. Requests carrying the same `uuid` fail until `succeedAfter` of them
 * have failed, then are echoed. A failure is the status `responseCode` when given, else a
 * connection reset (no HTTP answer at all). `delayRetry` delays each failure. State lives in
 * the process, per uuid, as in the upstream server.
 */
import { parseDelay } from './request-info.ts';

/** What to do with one `/retry/` request. */
export type RetryDecision =
  | { kind: 'bad'; message: string }
  | { kind: 'fail'; status?: number; delayMs: number }
  | { kind: 'echo' };

export class RetrySimulation {
  readonly #attempts = new Map<string, number>();

  /** Decides the answer to a request with query `search` and counts a failure. */
  decide(search: string): RetryDecision {
    const query = new URLSearchParams(search);
    const uuid = query.get('uuid');
    if (!uuid) return { kind: 'bad', message: 'uuid is required' };
    const succeedAfter = Number.parseInt(query.get('succeedAfter') ?? '', 10);
    if (!Number.isInteger(succeedAfter))
      return { kind: 'bad', message: 'succeedAfter is required' };
    const seen = this.#attempts.get(uuid) ?? 0;
    if (seen >= succeedAfter) return { kind: 'echo' };
    this.#attempts.set(uuid, seen + 1);
    const delay = query.get('delayRetry');
    const delayMs = delay ? parseDelay(delay) : 0;
    if (delayMs === undefined) return { kind: 'bad', message: `bad delayRetry ${delay ?? ''}` };
    const code = Number.parseInt(query.get('responseCode') ?? '', 10);
    return Number.isInteger(code)
      ? { kind: 'fail', status: code, delayMs }
      : { kind: 'fail', delayMs };
  }
}
