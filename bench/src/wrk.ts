/** Results of `wrk` runs and how several rounds are summarised. */

export interface WrkResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers other than 2xx/3xx: must be 0, or the scenario measured errors. */
  non2xx: number;
}

/** The median round by requests/s (its latencies with it), and every round's requests/s. */
export function summariseRuns(runs: WrkResult[]): WrkResult & { rounds: number[] } {
  const sorted = [...runs].sort((a, b) => a.rps - b.rps);
  const median = sorted[Math.floor(sorted.length / 2)];
  if (median === undefined) throw new Error('no wrk run');
  return {
    rps: Math.round(median.rps),
    p50Ms: median.p50Ms,
    p99Ms: median.p99Ms,
    non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
    rounds: runs.map((r) => Math.round(r.rps)),
  };
}
