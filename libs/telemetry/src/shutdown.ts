import type { Logger } from 'pino';

/** One thing to close on shutdown (stop the worker, close the ops server, quit Redis). */
export interface ShutdownStep {
  name: string;
  close: () => Promise<void> | void;
}

/** Options of {@link handleShutdown}. */
export interface ShutdownOptions {
  /**
   * Time for all steps together; past it the process exits 1. Defaults to 25 s, under the
   * 30 s that Kubernetes waits between SIGTERM and SIGKILL.
   */
  deadlineMs?: number;
  /** Signals to handle; defaults to SIGTERM and SIGINT. */
  signals?: readonly NodeJS.Signals[];
  /** How to end the process; tests inject a recorder. Defaults to `process.exit`. */
  exit?: (code: number) => void;
}

/** Handle returned by {@link handleShutdown}. */
export interface ShutdownHandle {
  /** Starts the shutdown as a signal would (idempotent); resolves with the exit code. */
  shutdown(reason: string): Promise<number>;
  /** Removes the signal listeners (tests). */
  dispose(): void;
}

/**
 * Graceful shutdown for a service: on the first SIGTERM/SIGINT the steps run once, in order
 * (stop taking work before closing what the work uses), under one deadline; then the process
 * exits 0, or 1 when a step failed or the deadline passed. Later signals are ignored while the
 * first shutdown runs, so a second Ctrl-C cannot interleave close calls.
 */
export function handleShutdown(
  logger: Logger,
  steps: readonly ShutdownStep[],
  options: ShutdownOptions = {},
): ShutdownHandle {
  const deadlineMs = options.deadlineMs ?? 25_000;
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let running: Promise<number> | undefined;

  const shutdown = (reason: string): Promise<number> => {
    running ??= runSteps(logger, steps, deadlineMs, reason).then((code) => {
      exit(code);
      return code;
    });
    return running;
  };
  const onSignal = (signal: NodeJS.Signals): void => void shutdown(signal);
  for (const signal of signals) process.on(signal, onSignal);
  return {
    shutdown,
    dispose: () => {
      for (const signal of signals) process.off(signal, onSignal);
    },
  };
}

async function runSteps(
  logger: Logger,
  steps: readonly ShutdownStep[],
  deadlineMs: number,
  reason: string,
): Promise<number> {
  logger.info({ reason, steps: steps.map((s) => s.name) }, 'shutting down');
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<number>((resolve) => {
    timer = setTimeout(() => {
      logger.error({ deadlineMs }, 'shutdown deadline passed');
      resolve(1);
    }, deadlineMs);
  });
  try {
    return await Promise.race([closeInOrder(logger, steps), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function closeInOrder(logger: Logger, steps: readonly ShutdownStep[]): Promise<number> {
  let code = 0;
  for (const step of steps) {
    try {
      await step.close();
      logger.info({ step: step.name }, 'closed');
    } catch (err) {
      code = 1;
      logger.error({ step: step.name, err }, 'close step failed');
    }
  }
  return code;
}
