/** Results of load runs (wrk, h2load) and how several rounds are summarised. */

export interface WrkResult {
  rps: number;
  /** Median latency (h2load: the mean request time, it reports no percentiles). */
  p50Ms: number;
  /** Absent where the tool reports no percentiles (h2load). */
  p99Ms?: number;
  /** Answers other than 2xx/3xx (h2load: also failed requests): must be 0. */
  non2xx: number;
}

/** The median round by requests/s (its latencies with it), and every round's requests/s. */
export function summariseRuns(runs: WrkResult[]): WrkResult & { rounds: number[] } {
  const sorted = [...runs].sort((a, b) => a.rps - b.rps);
  const median = sorted[Math.floor(sorted.length / 2)];
  if (median === undefined) throw new Error('no load run');
  return {
    rps: Math.round(median.rps),
    p50Ms: median.p50Ms,
    ...(median.p99Ms === undefined ? {} : { p99Ms: median.p99Ms }),
    non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
    rounds: runs.map((r) => Math.round(r.rps)),
  };
}
