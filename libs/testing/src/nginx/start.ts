/**
 * A real NGINX per test: `/usr/sbin/nginx` in the foreground with a master process, in a fresh
 * prefix, tracked like every other child. `reload()` waits until new workers serve and old
 * ones are only finishing, so the next request after it sees the new configuration.
 */
import { chown, mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { childPids, processTitle } from '../process/proc.ts';
import { runToCompletion, spawnManaged } from '../process/children.ts';
import type { ManagedProcess } from '../process/children.ts';
import { makeTempDir, removeTempDir } from '../tmp.ts';
import { StopWaiting, waitFor } from '../wait.ts';
import { nginxPaths, renderBaseNginxConf } from './base-conf.ts';
import type { NginxBodies, NginxPaths } from './base-conf.ts';

/** Options of {@link startNginx}. */
export interface StartNginxOptions extends NginxBodies {
  /** Default `/usr/sbin/nginx`. */
  binary?: string;
  workerProcesses?: number;
  /**
   * Run NGINX as this non-root user (needs a root runner; the prefix is handed to that user).
   * Without it NGINX runs as the runner, with `user root;` when that is root.
   */
  runAs?: { uid: number; gid: number };
  /** Keep the prefix directory after stop (to read logs when debugging). */
  keepPrefix?: boolean;
  /**
   * Dynamic modules to load (absolute `.so` paths); default: stream and both njs modules.
   * Loading ngx_http_js_module makes every server and location block dearer to parse.
   */
  modules?: readonly string[];
  /** Extra environment for the master (and its workers). */
  masterEnv?: Readonly<Record<string, string>>;
  /** Extra environment for `nginx -t`. */
  testEnv?: Readonly<Record<string, string>>;
}

/** Result of `nginx -t`. */
export interface NginxTestResult {
  ok: boolean;
  /** What NGINX printed (its error text when `ok` is false). */
  output: string;
}

/** A running NGINX master with its workers. */
export interface RunningNginx {
  prefix: string;
  confPath: string;
  paths: NginxPaths;
  /** Pid of the master process. */
  pid: number;
  /** Pids of the current (not shutting down) worker processes. */
  workerPids(): number[];
  /** Rewrites nginx.conf with new bodies, without testing or reloading. */
  configure(bodies: NginxBodies): Promise<void>;
  /** `nginx -t` on the current files. */
  test(): Promise<NginxTestResult>;
  /**
   * Optionally rewrites nginx.conf, then `nginx -t`; on failure rejects with NGINX's error
   * text and leaves the running config alone; otherwise SIGHUP and waits for new workers.
   */
  reload(bodies?: NginxBodies): Promise<void>;
  /** The error log written so far. */
  errorLog(): Promise<string>;
  stop(): Promise<void>;
}

const WORKER_TITLE = 'nginx: worker process';

/** Starts NGINX and resolves once its workers run (listening sockets are bound by then). */
export async function startNginx(options: StartNginxOptions = {}): Promise<RunningNginx> {
  const binary = options.binary ?? '/usr/sbin/nginx';
  const workers = options.workerProcesses ?? 1;
  const paths = nginxPaths(await makeTempDir('nginx'));
  const owner = options.runAs;
  const asRoot = owner === undefined && process.getuid?.() === 0;
  const writeConf = async (bodies: NginxBodies): Promise<void> => {
    const text = renderBaseNginxConf({
      ...bodies,
      paths,
      user: asRoot ? 'root' : undefined,
      workerProcesses: workers,
      modules: options.modules,
    });
    await writeFile(paths.confPath, text);
    if (owner !== undefined) await chown(paths.confPath, owner.uid, owner.gid);
  };
  await prepareLayout(paths, owner);
  await writeConf(options);
  const args = ['-p', `${paths.prefix}/`, '-c', paths.confPath, '-e', paths.errorLogPath];
  const spawnOptions = { uid: owner?.uid, gid: owner?.gid };
  const master = spawnManaged(binary, args, {
    name: 'nginx',
    ...spawnOptions,
    env: { ...process.env, ...options.masterEnv },
  });
  const cleanup = async (): Promise<void> => {
    await master.stop();
    if (options.keepPrefix !== true) await removeTempDir(paths.prefix);
  };
  try {
    await waitForWorkers(master, workers, new Set(), paths);
  } catch (error) {
    await cleanup();
    throw error;
  }
  const test = async (): Promise<NginxTestResult> => {
    const run = await runToCompletion(binary, ['-t', ...args], {
      name: 'nginx -t',
      ...spawnOptions,
      env: { ...process.env, ...options.testEnv },
    });
    return { ok: run.code === 0, output: run.output };
  };
  return {
    prefix: paths.prefix,
    confPath: paths.confPath,
    paths,
    pid: master.pid,
    workerPids: () => currentWorkers(master.pid),
    configure: writeConf,
    test,
    reload: async (bodies) => {
      if (bodies !== undefined) await writeConf(bodies);
      const result = await test();
      if (!result.ok) throw new Error(`nginx -t failed, not reloading:\n${result.output}`);
      await signalReload(master, workers, paths);
    },
    errorLog: () => readFile(paths.errorLogPath, 'utf8').catch(() => ''),
    stop: cleanup,
  };
}

async function prepareLayout(
  paths: NginxPaths,
  owner: { uid: number; gid: number } | undefined,
): Promise<void> {
  const dirs = [paths.prefix, dirname(paths.confPath), dirname(paths.errorLogPath)];
  dirs.push(dirname(paths.temp.proxy), ...Object.values(paths.temp));
  for (const dir of dirs) {
    await mkdir(dir, { recursive: true });
    if (owner !== undefined) await chown(dir, owner.uid, owner.gid);
  }
}

function currentWorkers(masterPid: number): number[] {
  return childPids(masterPid).filter((pid) => processTitle(pid) === WORKER_TITLE);
}

/** Waits for `count` workers that were not in `old`, failing fast when the master exits. */
async function waitForWorkers(
  master: ManagedProcess,
  count: number,
  old: ReadonlySet<number>,
  paths: NginxPaths,
): Promise<void> {
  await waitFor(
    () => {
      if (!master.running()) throw new StopWaiting(`nginx exited:\n${master.output()}`);
      const fresh = currentWorkers(master.pid).filter((pid) => !old.has(pid));
      return fresh.length >= count;
    },
    { description: `${count} new nginx worker(s) in ${paths.prefix}`, timeoutMs: 10_000 },
  );
}

/** SIGHUP the master; waits for new workers, or rejects with the `[emerg]` NGINX logged. */
async function signalReload(
  master: ManagedProcess,
  count: number,
  paths: NginxPaths,
): Promise<void> {
  const old = new Set(currentWorkers(master.pid));
  const logOffset = await fileSize(paths.errorLogPath);
  master.signal('SIGHUP');
  await waitFor(
    async () => {
      const log = await readFrom(paths.errorLogPath, logOffset);
      const emerg = log.split('\n').find((line) => line.includes('[emerg]'));
      if (emerg !== undefined) throw new StopWaiting(`nginx reload failed: ${emerg}`);
      if (!master.running()) throw new StopWaiting(`nginx exited:\n${master.output()}`);
      const now = currentWorkers(master.pid);
      return (
        now.filter((pid) => !old.has(pid)).length >= count && now.every((pid) => !old.has(pid))
      );
    },
    { description: `nginx in ${paths.prefix} to reload`, timeoutMs: 10_000 },
  ).catch(async (error: unknown) => {
    const log = await readFrom(paths.errorLogPath, logOffset);
    throw new Error(`${(error as Error).message}\nerror log since reload:\n${log}`, {
      cause: error,
    });
  });
}

async function fileSize(path: string): Promise<number> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (handle === undefined) return 0;
  try {
    return (await handle.stat()).size;
  } finally {
    await handle.close();
  }
}

async function readFrom(path: string, offset: number): Promise<string> {
  const text = await readFile(path).catch(() => Buffer.alloc(0));
  return text.subarray(offset).toString('utf8');
}
