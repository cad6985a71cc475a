/**
 * Runs `action` over `items` with at most `limit` in flight, and waits for all of them even
 * when some fail; then rethrows the first failure. Status writes of many routes go this way:
 * one at a time, 1,000 routes took seconds of round trips while the Gateway's next reconcile
 * (with the next change) waited behind them.
 */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  action: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await action(item).catch((error: unknown) => failures.push(error));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failures.length > 0) throw failures[0];
}
