/**
 * Every process that a test starts goes through `spawnManaged`, so that none outlives the test
 * run: each child gets its own process group (NGINX forks workers, and a group kill reaches
 * them all), `stop()` ends the whole group, and as a last resort the test runner's exit,
 * SIGINT, SIGTERM or SIGHUP kills whatever is still tracked.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

/** How a managed process ended. */
export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Options of {@link spawnManaged}. */
export interface SpawnManagedOptions {
  /** Short name used in error messages ("redis-server", "nginx", "echo"). */
  name: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Keep a pipe to the child's stdin open (the echo server exits when it closes). */
  stdinPipe?: boolean;
  /** Run as this user and group (tests of the non-root path, when the runner is root). */
  uid?: number | undefined;
  gid?: number | undefined;
  /** Called with every complete line the child writes to stdout. */
  onStdoutLine?: (line: string) => void;
}

/** A child process tracked until it has exited. */
export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  /** Resolves once the process has exited (never rejects). */
  readonly exited: Promise<ExitInfo>;
  /** Resolves once the process has exited and its stdout and stderr are fully read. */
  readonly closed: Promise<void>;
  /** True until the process has exited. */
  running(): boolean;
  /** The last 64 KiB of stdout and stderr, interleaved, for error messages. */
  output(): string;
  /** Sends `signal` to the process itself, not its group (e.g. SIGHUP to an NGINX master). */
  signal(signal: NodeJS.Signals): void;
  /**
   * Ends the process group: `signal` first, SIGKILL after `timeoutMs`, and SIGKILL to the
   * group once the leader has gone so no forked child survives it.
   */
  stop(options?: { signal?: NodeJS.Signals; timeoutMs?: number }): Promise<ExitInfo>;
}

const OUTPUT_LIMIT = 64 * 1024;
const tracked = new Set<ChildProcess>();
let handlersInstalled = false;

/** Starts `command` in its own process group and tracks it until it exits. */
export function spawnManaged(
  command: string,
  args: readonly string[],
  options: SpawnManagedOptions,
): ManagedProcess {
  installExitHandlers();
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    ...(options.uid === undefined ? {} : { uid: options.uid }),
    ...(options.gid === undefined ? {} : { gid: options.gid }),
    stdio: [options.stdinPipe === true ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) {
    // spawn failed synchronously (ENOENT arrives as an 'error' event); keep the error visible.
    child.on('error', () => undefined);
    throw new Error(`could not start ${options.name} (${command})`);
  }
  tracked.add(child);
  let output = '';
  const append = (chunk: string): void => {
    output = (output + chunk).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stdout?.on('data', lineSplitter(append, options.onStdoutLine));
  child.stderr?.on('data', append);
  let exitInfo: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.on('exit', (code, signal) => {
      exitInfo = { code, signal };
      tracked.delete(child);
      resolve(exitInfo);
    });
  });
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return {
    name: options.name,
    pid,
    exited,
    closed,
    running: () => exitInfo === undefined,
    output: () => output,
    signal: (signal) => {
      if (exitInfo === undefined) process.kill(pid, signal);
    },
    stop: (stopOptions) => stopGroup(pid, exited, () => exitInfo !== undefined, stopOptions),
  };
}

function lineSplitter(
  append: (chunk: string) => void,
  onLine: ((line: string) => void) | undefined,
): (chunk: string) => void {
  let partial = '';
  return (chunk) => {
    append(chunk);
    if (onLine === undefined) return;
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  };
}

async function stopGroup(
  pid: number,
  exited: Promise<ExitInfo>,
  hasExited: () => boolean,
  options: { signal?: NodeJS.Signals; timeoutMs?: number } = {},
): Promise<ExitInfo> {
  if (!hasExited()) killGroup(pid, options.signal ?? 'SIGTERM');
  const timeoutMs = options.timeoutMs ?? 5000;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const first = await Promise.race([exited, timedOut]);
  clearTimeout(timer);
  if (first === 'timeout') killGroup(pid, 'SIGKILL');
  const info = await exited;
  // The leader is gone; anything it forked and left behind in its group goes too.
  killGroup(pid, 'SIGKILL');
  return info;
}

/** Signals a whole process group; a group that no longer exists is not an error. */
function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

const lastResortHooks = new Set<() => void>();

/**
 * Registers a synchronous cleanup (e.g. removing temp dirs) to run when the test runner exits
 * or is signalled, after every tracked process group is killed. Returns an unregister function.
 */
export function onLastResort(hook: () => void): () => void {
  installExitHandlers();
  lastResortHooks.add(hook);
  return () => lastResortHooks.delete(hook);
}

/** Kills every tracked group at once; used when the test runner itself goes away. */
function killAllTracked(): void {
  for (const child of tracked) {
    if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL');
  }
  tracked.clear();
  for (const hook of lastResortHooks) {
    try {
      hook();
    } catch {
      // A failing cleanup must not stop the others at exit.
    }
  }
  lastResortHooks.clear();
}

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', killAllTracked);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const handler = (): void => {
      killAllTracked();
      process.off(signal, handler);
      // Keep the default behaviour (terminate) unless someone else handles the signal.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, handler);
  }
}

/** Runs a short command to completion (as a tracked child) and returns its exit and output. */
export async function runToCompletion(
  command: string,
  args: readonly string[],
  options: SpawnManagedOptions & { timeoutMs?: number },
): Promise<ExitInfo & { output: string }> {
  const proc = spawnManaged(command, args, options);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), options.timeoutMs ?? 30_000);
  });
  const first = await Promise.race([proc.exited, timedOut]);
  clearTimeout(timer);
  if (first === 'timeout') {
    await proc.stop({ signal: 'SIGKILL' });
    throw new Error(`${options.name} did not finish in time: ${proc.output()}`);
  }
  // 'exit' can fire before the last output chunks; wait for the streams to drain.
  await proc.closed;
  return { ...first, output: proc.output() };
}

/** Pids of all processes still tracked (for leak checks in tests). */
export function trackedPids(): number[] {
  return [...tracked].flatMap((child) => (child.pid === undefined ? [] : [child.pid]));
}
