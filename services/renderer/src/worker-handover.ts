/**
 * Early hand-over between NGINX worker generations after a reload.
 *
 * On SIGHUP the master parses the new config, forks new workers, then sleeps a fixed 100 ms
 * ("allow new processes to start") before it tells the old workers to stop accepting. During
 * that pause the old workers, which wait on the listening sockets ahead of the new ones, take
 * nearly every new connection and answer with the previous config: a change becomes visible
 * about 100 ms after the new workers are ready. The renderer sees the new workers become
 * ready (a worker renames itself "worker process" once its event loop is set up, listening
 * sockets included) and sends the old ones the graceful-shutdown signal the master would send
 * a little later (SIGQUIT, documented for workers). Connections that arrive in between wait
 * in the listening sockets' queues, which the master and the new workers keep open: nothing is
 * refused. If the new workers do not show up in time, nothing is sent and the master does it.
 */
import { readdirSync, readFileSync } from 'node:fs';

const READY_TITLE = 'nginx: worker process';

/** One process of `/proc`: its parent and its title (NGINX rewrites argv to set it). */
export interface ProcessEntry {
  pid: number;
  ppid: number;
  title: string;
}

/** The parent pid from the text of `/proc/<pid>/stat` (the name may contain spaces and `)`). */
export function parentPid(stat: string): number | undefined {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ppid = Number(fields[1]);
  return Number.isInteger(ppid) ? ppid : undefined;
}

/** The title from `/proc/<pid>/cmdline`: NUL-separated, NGINX pads the rewritten one with NULs. */
export function titleOf(cmdline: string): string {
  return cmdline.split('\0').filter(Boolean).join(' ');
}

/** A worker that has finished its set-up and accepts connections (not one shutting down). */
export function isReadyWorker(title: string): boolean {
  return title === READY_TITLE;
}

/**
 * Which old workers to signal, or undefined while the new generation is not ready: once as
 * many ready workers as there were old ones run beside them (same `worker_processes`), or at
 * least one when the old count is unknown.
 */
export function workersToRetire(
  oldPids: ReadonlySet<number>,
  children: readonly ProcessEntry[],
): number[] | undefined {
  const ready = children.filter((c) => !oldPids.has(c.pid) && isReadyWorker(c.title));
  if (ready.length === 0 || ready.length < oldPids.size) return undefined;
  return children.filter((c) => oldPids.has(c.pid)).map((c) => c.pid);
}

function readSync(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The master's children, read from `/proc` synchronously (a poll must not wait behind other
 * work on a busy event loop: the window it races is 100 ms). `notChildren` remembers pids seen
 * with another parent during one hand-over (a few hundred ms), so a poll reads only new pids.
 */
export function childrenOf(masterPid: number, notChildren: Set<number>): ProcessEntry[] {
  const children: ProcessEntry[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (notChildren.has(pid)) continue;
    const stat = readSync(`/proc/${pid}/stat`);
    const ppid = stat === undefined ? undefined : parentPid(stat);
    if (ppid === undefined) continue;
    if (ppid !== masterPid) {
      notChildren.add(pid);
      continue;
    }
    children.push({ pid, ppid, title: titleOf(readSync(`/proc/${pid}/cmdline`) ?? '') });
  }
  return children;
}

/** What a reload replaces: the ready workers, and every other process seen (not children). */
export interface WorkerGeneration {
  workers: Set<number>;
  notChildren: Set<number>;
}

/**
 * The master's current ready workers, read right before SIGHUP so that the caller knows the
 * signal was sent when it returns (a few ms for a hundred processes).
 */
export function currentGeneration(masterPid: number): WorkerGeneration {
  const notChildren = new Set<number>();
  const children = childrenOf(masterPid, notChildren);
  const workers = new Set(children.filter((c) => isReadyWorker(c.title)).map((c) => c.pid));
  return { workers, notChildren };
}

export interface HandOverOptions {
  /** Poll period while the new workers start (the master's window is 100 ms). */
  pollMs?: number;
  /**
   * After this long without new workers (a large config still parsing, or a reload NGINX
   * refused), poll every `slowPollMs` instead: still well inside the 100 ms window.
   */
  fastForMs?: number;
  slowPollMs?: number;
  /**
   * Give up after this long (parsing a large config can take a while before the new workers
   * exist): the master's own shutdown signal follows 100 ms after they start anyway.
   */
  timeoutMs?: number;
}

/**
 * After SIGHUP: waits for the new workers to be ready, then asks `oldPids` to shut down
 * gracefully. Resolves with the pids it signalled (empty when it left it to the master).
 */
export async function retireOldWorkers(
  masterPid: number,
  old: WorkerGeneration,
  options: HandOverOptions = {},
): Promise<number[]> {
  const { pollMs = 2, fastForMs = 500, slowPollMs = 20, timeoutMs = 5_000 } = options;
  const started = performance.now();
  const oldPids = old.workers;
  if (oldPids.size === 0) return [];
  const notChildren = new Set(old.notChildren);
  const deadline = started + timeoutMs;
  while (performance.now() < deadline) {
    const children = childrenOf(masterPid, notChildren);
    // The master got there first (or the old workers are gone): nothing left to do.
    if (!children.some((c) => oldPids.has(c.pid) && isReadyWorker(c.title))) return [];
    const retire = workersToRetire(oldPids, children);
    if (retire !== undefined) {
      for (const pid of retire) {
        try {
          process.kill(pid, 'SIGQUIT');
        } catch {
          // Already gone: the master got there first.
        }
      }
      return retire;
    }
    const wait = performance.now() - started < fastForMs ? pollMs : slowPollMs;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  return [];
}
