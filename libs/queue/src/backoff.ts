/** Retry delays of a failing reconcile: exponential from `baseMs`, never above `maxMs`. */
export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
}

/** Defaults in the spirit of controller-runtime's per-item limiter, scaled for a job queue. */
export const DEFAULT_RETRY: RetryPolicy = { baseMs: 1000, maxMs: 60_000 };

/**
 * Delay before retry number `attemptsMade` (1 for the first retry): base, 2·base, 4·base ...
 * capped at `maxMs`, so a broken object is retried at a bounded rate without hammering the API
 * server.
 */
export function retryDelayMs(attemptsMade: number, policy: RetryPolicy): number {
  const exponent = Math.max(0, attemptsMade - 1);
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(exponent, 30));
}
