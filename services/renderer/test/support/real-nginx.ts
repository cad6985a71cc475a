/**
 * The real NGINX the Applier tests run against: a temp data dir laid out as the renderer's,
 * the bootstrap configuration checked by the real `nginx -t`, a master started by
 * `NginxProcess` and answering its version, and the Applier's NGINX-facing dependencies bound
 * to it. Each test file adds what it varies (the IRs, acks, certificate reader, logger).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { RenderSettings } from '@portico/nginx-render';
import { freePorts, makeTempDir, onLastResort, removeTempDir } from '@portico/testing';
import type { ApplierDeps } from '../../src/applier.ts';
import { activeVersion, configDir, type ConfigDir } from '../../src/config-dir.ts';
import { errorLogMark, errorsSince } from '../../src/error-log.ts';
import { NginxProcess, testConfig, type NginxProcessOptions } from '../../src/nginx-process.ts';
import { bootstrapConfig, waitForVersion } from '../../src/nginx-runtime.ts';

const NGINX = '/usr/sbin/nginx';

/** A running NGINX master with its data dir; `stop` ends it and removes the dir. */
export interface RealNginx {
  dataDir: string;
  dir: ConfigDir;
  settings: RenderSettings;
  statusPort: number;
  nginx: NginxProcess;
  /** The Applier's dependencies on this NGINX; `versionTimeoutMs` bounds each version wait. */
  applierDeps(
    versionTimeoutMs: number,
  ): Pick<
    ApplierDeps,
    'dir' | 'settings' | 'testConfig' | 'reload' | 'errorLogMark' | 'errorsSince' | 'waitForVersion'
  >;
  stop(): Promise<void>;
}

/**
 * Starts NGINX on a fresh data dir (`tempPrefix` names it) with the stream module only, as the
 * renderer's default, and one worker so tests can watch worker PIDs. `onExit` hears the master
 * exit on its own.
 */
export async function startRealNginx(
  tempPrefix: string,
  onExit: NginxProcessOptions['onExit'] = () => {},
): Promise<RealNginx> {
  const dataDir = await makeTempDir(tempPrefix);
  for (const sub of ['run', 'logs', 'temp']) await mkdir(join(dataDir, sub), { recursive: true });
  const [statusPort] = (await freePorts(1)) as [number];
  const dir = configDir(dataDir);
  const errorLog = join(dataDir, 'logs', 'error.log');
  const settings: RenderSettings = {
    portOffset: 0,
    statusListen: `127.0.0.1:${statusPort}`,
    paths: {
      prefix: dataDir,
      confDir: dir.currentLink,
      pidFile: join(dataDir, 'run', 'nginx.pid'),
      errorLog,
      tempDir: join(dataDir, 'temp'),
    },
    modules: ['/usr/lib/nginx/modules/ngx_stream_module.so'],
    workerProcesses: 1,
    ...(process.getuid?.() === 0 ? { user: 'www-data' } : {}),
  };
  const check = (conf: string) => testConfig(NGINX, dataDir, conf);
  await bootstrapConfig(dir, settings, check);
  const nginx = new NginxProcess({
    binary: NGINX,
    prefix: dataDir,
    confPath: dir.currentConf,
    onExit,
  });
  await nginx.start();
  const pid = nginx.pid;
  const unregister = onLastResort(() => pid && process.kill(pid, 'SIGKILL'));
  const stop = async () => {
    await nginx.stop();
    unregister();
    await removeTempDir(dataDir);
  };
  try {
    expect(await waitForVersion(statusPort, (await activeVersion(dir)) ?? '', 10_000)).toBe(true);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    dataDir,
    dir,
    settings,
    statusPort,
    nginx,
    applierDeps: (versionTimeoutMs) => ({
      dir,
      settings,
      testConfig: check,
      reload: () => nginx.reload(),
      errorLogMark: () => errorLogMark(errorLog),
      errorsSince: (mark) => errorsSince(errorLog, mark),
      waitForVersion: (version) => waitForVersion(statusPort, version, versionTimeoutMs),
    }),
    stop,
  };
}
