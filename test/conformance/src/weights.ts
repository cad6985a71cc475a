/**
 * Upstream's weighted-distribution check (`conformance/utils/weight`), for any protocol: 500
 * requests, 10 at a time, each answered by a pod whose backend is its name without the last
 * two `-` parts; every backend with a weight above 0 (and only those) gets traffic, each
 * within ±5 % of its share; up to 10 attempts.
 */

/** Backend of a pod name, as upstream reads it (`<backend>-<hash>-<suffix>`). */
export function backendOfPod(pod: string): string {
  const parts = pod.split('-');
  return parts.length < 3 ? pod : parts.slice(0, -2).join('-');
}

/** What is wrong with `seen` (requests per backend out of `total`) for `weights` (0..1). */
export function distributionProblems(
  seen: ReadonlyMap<string, number>,
  weights: Readonly<Record<string, number>>,
  total: number,
): string[] {
  const problems: string[] = [];
  const active = Object.values(weights).filter((w) => w > 0).length;
  if (seen.size !== active)
    problems.push(`expected ${active} backends with traffic, got ${seen.size}`);
  for (const [backend, want] of Object.entries(weights)) {
    const got = (seen.get(backend) ?? 0) / total;
    if (want > 0 && !seen.has(backend)) problems.push(`no traffic reached ${backend}`);
    else if (Math.abs(got - want) > 0.05)
      problems.push(`${backend} got ${got.toFixed(3)} of the traffic, want ${want} ±0.05`);
  }
  return problems.sort();
}

/** One round of 500 requests; '' when the distribution holds, else why not. */
async function distributionOnce(
  send: () => Promise<string>,
  weights: Readonly<Record<string, number>>,
): Promise<string> {
  const total = 500;
  const seen = new Map<string, number>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < total) {
      next++;
      const pod = await send();
      const backend = backendOfPod(pod);
      if (!(backend in weights)) throw new Error(`answered by an unexpected pod ${pod}`);
      seen.set(backend, (seen.get(backend) ?? 0) + 1);
    }
  };
  try {
    await Promise.all(Array.from({ length: 10 }, worker));
  } catch (error) {
    return `error while sending requests: ${error instanceof Error ? error.message : String(error)}`;
  }
  return distributionProblems(seen, weights, total).join('; ');
}

/** Upstream `TestWeightedDistribution` with `MaxTestRetries` attempts. */
export async function expectWeightedDistribution(
  send: () => Promise<string>,
  weights: Readonly<Record<string, number>>,
): Promise<void> {
  let last = '';
  for (let attempt = 0; attempt < 10; attempt++) {
    last = await distributionOnce(send, weights);
    if (last === '') return;
  }
  throw new Error(`weighted distribution: ${last}`);
}
