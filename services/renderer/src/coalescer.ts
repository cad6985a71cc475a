/**
 * Turns a burst of triggers into few runs (invariant 5): a trigger schedules a run after a
 * short settle delay; triggers during a run make exactly one more run after it.
 *
 * A run may hand over early: once it calls the `handOver` it is given, the next run may start
 * while it finishes. The renderer hands over right after it has signalled NGINX, so the next
 * change is read and rendered while NGINX loads the previous one instead of after it (the
 * applier itself keeps the reloads in order). Without a hand-over, runs never overlap.
 */
export type CoalescedRun = (handOver: () => void) => Promise<void>;

export class Coalescer {
  /** A run is in its exclusive part (before its hand-over). */
  private exclusive = false;
  private pending = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly settleMs: number;
  private readonly run: CoalescedRun;
  private idleWaiters: Array<() => void> = [];

  constructor(settleMs: number, run: CoalescedRun) {
    this.settleMs = settleMs;
    this.run = run;
  }

  trigger(): void {
    if (this.exclusive) {
      this.pending = true;
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(() => this.execute(), this.settleMs);
  }

  private execute(): void {
    this.timer = undefined;
    this.exclusive = true;
    let handedOver = false;
    const handOver = () => {
      if (handedOver) return;
      handedOver = true;
      this.exclusive = false;
      if (this.pending) {
        this.pending = false;
        this.trigger();
      }
    };
    const running = this.run(handOver)
      .catch(() => {
        // `run` handles its own errors (and logs them); a throw here must not become an
        // unhandled rejection that ends the process. The next trigger runs again.
      })
      .finally(() => {
        this.inFlight.delete(running);
        handOver();
        if (this.isIdle()) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
    this.inFlight.add(running);
  }

  private isIdle(): boolean {
    return this.inFlight.size === 0 && !this.timer && !this.exclusive;
  }

  /** Resolves when no run is scheduled or running (for shutdown). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = false;
  }
}
