/** Upstream `http.AwaitConvergence` for probes that are not a plain expected request. */

/**
 * Runs `probe` until it succeeds `consecutive` times in a row (it returns undefined) or
 * `timeoutMs` passes; then fails with the last miss. A probe builds its own request each time
 * (fresh ids, new connections), which `HttpExpect.expect` cannot do.
 */
export async function converge(
  what: string,
  probe: () => Promise<string | undefined>,
  { consecutive = 3, timeoutMs = 30_000, delayMs = 1_000 } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let successes = 0;
  for (;;) {
    let miss: string | undefined;
    try {
      miss = await probe();
    } catch (error) {
      miss = error instanceof Error ? error.message : String(error);
    }
    if (miss === undefined) {
      if (++successes >= consecutive) return;
      continue;
    }
    successes = 0;
    if (Date.now() >= deadline) throw new Error(`${what}: ${miss}`);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}
