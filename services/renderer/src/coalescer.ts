/**
 * Turns a burst of triggers into few runs (invariant 5): a trigger schedules a run after a
 * short settle delay; triggers during a run make exactly one more run after it. Runs never
 * overlap.
 */
export class Coalescer {
  private running = false;
  private pending = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly settleMs: number;
  private readonly run: () => Promise<void>;
  private idleWaiters: Array<() => void> = [];

  constructor(settleMs: number, run: () => Promise<void>) {
    this.settleMs = settleMs;
    this.run = run;
  }

  trigger(): void {
    if (this.running) {
      this.pending = true;
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(() => void this.execute(), this.settleMs);
  }

  private async execute(): Promise<void> {
    this.timer = undefined;
    this.running = true;
    try {
      await this.run();
    } catch {
      // `run` handles its own errors (and logs them); a throw here must not become an
      // unhandled rejection that ends the process. The next trigger runs again.
    } finally {
      this.running = false;
      if (this.pending) {
        this.pending = false;
        this.trigger();
      } else {
        for (const resolve of this.idleWaiters.splice(0)) resolve();
      }
    }
  }

  /** Resolves when no run is scheduled or running (for shutdown). */
  idle(): Promise<void> {
    if (!this.running && !this.timer) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = false;
  }
}
