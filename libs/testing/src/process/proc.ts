/**
 * Small readers of Linux `/proc`, for the checks that a test harness must make about processes
 * it does not own directly: NGINX workers (children of the master) and leak checks after stop.
 */
import { readFileSync, readdirSync } from 'node:fs';

/** One line of `/proc/<pid>/stat`, the fields the harness needs. */
interface ProcStat {
  state: string;
  ppid: number;
}

function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name is in parentheses and may itself contain spaces or parentheses.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = rest[0];
  const ppid = Number(rest[1]);
  if (state === undefined || !Number.isInteger(ppid)) return undefined;
  return { state, ppid };
}

/**
 * True while `pid` names a running process. A zombie (exited, waiting for its parent to reap
 * it) counts as gone: it holds no port, file or memory any more.
 */
export function processAlive(pid: number): boolean {
  const stat = readStat(pid);
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}

/** Pids of the live processes whose parent is `pid`, sorted. */
export function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const child = Number(entry);
    const stat = readStat(child);
    if (stat?.ppid === pid && stat.state !== 'Z') children.push(child);
  }
  return children.sort((a, b) => a - b);
}

/** The process title (`/proc/<pid>/cmdline`, NUL-separated), or '' once it has gone. */
export function processTitle(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}
