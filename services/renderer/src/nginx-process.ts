/**
 * The NGINX master this renderer drives: started in the foreground as our child (so it dies
 * with the data plane and its exit is noticed), tested with `nginx -t`, reloaded with SIGHUP,
 * stopped gracefully with SIGQUIT.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { currentGeneration, retireOldWorkers } from './worker-handover.ts';

export interface NginxProcessOptions {
  binary: string;
  /** `-p`: the prefix relative paths in the config are resolved against. */
  prefix: string;
  /** `-c`: the live config (the `current/nginx.conf` symlinked path). */
  confPath: string;
  onExit: (code: number | null, signal: NodeJS.Signals | null) => void;
  /**
   * After a reload, retire the old workers as soon as the new ones are ready instead of after
   * the master's fixed 100 ms pause (see worker-handover.ts). Default true.
   */
  earlyHandover?: boolean;
  /** Told when an early hand-over fails (it never affects the reload itself). */
  onHandoverError?: (error: unknown) => void;
}

/**
 * glibc malloc tuning for the master, which builds a new configuration on every reload while
 * its workers share its memory copy-on-write. With the default heap, the new configuration is
 * carved out of freed chunks on pages the workers share, and each first write to such a page
 * is a copy plus a TLB shootdown across CPUs (on a VM, an interrupt per page): profiled with
 * 1,000 servers, that was over half of the master's reload CPU. Allocations of 8 KiB and more
 * (NGINX's 16 KiB pool blocks) taken from fresh mappings instead cut the reload's CPU by ~40%
 * (950 -> 560 ms with 1,000 servers, 2 workers). An explicit setting in the environment wins.
 */
const MASTER_MALLOC_ENV = { MALLOC_MMAP_THRESHOLD_: process.env.MALLOC_MMAP_THRESHOLD_ ?? '8192' };

/**
 * glibc malloc tuning for `nginx -t`, a short-lived process that parses the whole config into
 * fresh memory: one page fault per 4 KiB page it touches (~6,000 with 1,000 servers), each
 * expensive on a VM. `hugetlb=1` makes malloc ask for transparent huge pages on its heap
 * (`madvise`, so it works when THP is in `madvise` mode, the Debian default), which cut
 * `nginx -t` with 1,000 servers from ~130 ms to ~50 ms here. Not for the master: its reloads
 * free and reuse memory, where huge pages gave no gain over MASTER_MALLOC_ENV. glibc older than
 * 2.35 and other libcs ignore it. An explicit setting in the environment wins.
 */
const TEST_MALLOC_ENV = { GLIBC_TUNABLES: process.env.GLIBC_TUNABLES ?? 'glibc.malloc.hugetlb=1' };

export interface NginxTestResult {
  ok: boolean;
  output: string;
}

/** `nginx -t` on a candidate config; the output carries NGINX's own error text. */
export async function testConfig(
  binary: string,
  prefix: string,
  confPath: string,
): Promise<NginxTestResult> {
  const child = spawn(binary, ['-t', '-q', '-p', prefix, '-c', confPath, '-g', 'daemon off;'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...TEST_MALLOC_ENV },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  return { ok: code === 0, output: output.trim() };
}

export class NginxProcess {
  private child: ChildProcess | undefined;
  private readonly options: NginxProcessOptions;
  private stopping = false;

  constructor(options: NginxProcessOptions) {
    this.options = options;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    const { binary, prefix, confPath } = this.options;
    const child = spawn(binary, ['-p', prefix, '-c', confPath, '-g', 'daemon off;'], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, ...MASTER_MALLOC_ENV },
    });
    this.child = child;
    child.on('exit', (code, signal) => {
      this.child = undefined;
      if (!this.stopping) this.options.onExit(code, signal);
    });
    await once(child, 'spawn');
  }

  /** Asks the master to re-read its config; old workers finish their requests. */
  reload(): void {
    const pid = this.child?.pid;
    if (!pid) throw new Error('nginx is not running');
    if (this.options.earlyHandover === false) {
      process.kill(pid, 'SIGHUP');
      return;
    }
    const old = currentGeneration(pid);
    process.kill(pid, 'SIGHUP');
    retireOldWorkers(pid, old).catch((error: unknown) => this.options.onHandoverError?.(error));
  }

  async stop(timeoutMs = 5_000): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    this.stopping = true;
    const exited = once(child, 'exit');
    child.kill('SIGQUIT');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }
}
