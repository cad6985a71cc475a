/**
 * Phase timings of one reconcile, logged at debug level: where the time of a change goes
 * (reading the store, the pure core, publishing, status writes) is the first question when
 * propagation is slow, and the answer must not need a profiler.
 */
export class PhaseTimer {
  private last = performance.now();
  private readonly phases: Record<string, number> = {};

  /** Closes the phase that ran since the previous mark (or the start). */
  mark(phase: string): void {
    const now = performance.now();
    this.phases[phase] = Math.round((this.phases[phase] ?? 0) + (now - this.last));
    this.last = now;
  }

  /** Milliseconds per phase, in the order they first ran. */
  summary(): Record<string, number> {
    return { ...this.phases };
  }
}
