/**
 * Real NGINX for the renderer's tests: write rendered files to a directory, `nginx -t` them,
 * or run them (master in the foreground, tracked by @portico/testing so nothing outlives the
 * test) until `stop()`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { RenderedFile, RenderSettings } from '@portico/nginx-render';
import { httpRequest, runToCompletion, spawnManaged, StopWaiting, waitFor } from '@portico/testing';

export const NGINX = '/usr/sbin/nginx';
export const DEBIAN_MODULES = [
  '/usr/lib/nginx/modules/ngx_stream_module.so',
  '/usr/lib/nginx/modules/ngx_http_js_module.so',
  '/usr/lib/nginx/modules/ngx_stream_js_module.so',
];

/** Settings whose runtime paths all live under `root` (conf in `root/conf`). */
export function settingsUnder(
  root: string,
  overrides: Partial<RenderSettings> = {},
): RenderSettings {
  return {
    portOffset: 0,
    statusListen: '127.0.0.1:9901',
    paths: {
      prefix: root,
      confDir: join(root, 'conf'),
      pidFile: join(root, 'logs/nginx.pid'),
      errorLog: join(root, 'logs/error.log'),
      tempDir: join(root, 'temp'),
    },
    modules: DEBIAN_MODULES,
    workerProcesses: 1,
    ...overrides,
  };
}

/** Writes the files under `settings.paths.confDir` and creates the log and temp dirs. */
export async function writeRendered(
  files: RenderedFile[],
  settings: RenderSettings,
): Promise<void> {
  const { confDir, pidFile, errorLog, tempDir } = settings.paths;
  for (const dir of [confDir, dirname(pidFile), dirname(errorLog), tempDir]) {
    await mkdir(dir, { recursive: true });
  }
  for (const file of files) {
    const path = join(confDir, file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.contents, { mode: file.mode });
  }
}

function nginxArgs(settings: RenderSettings): string[] {
  const { prefix, confDir, errorLog } = settings.paths;
  return ['-p', `${prefix}/`, '-c', join(confDir, 'nginx.conf'), '-e', errorLog];
}

/** `nginx -t` on written files: exit code and what NGINX printed. */
export async function nginxTest(
  settings: RenderSettings,
): Promise<{ ok: boolean; output: string }> {
  const run = await runToCompletion(NGINX, ['-t', ...nginxArgs(settings)], { name: 'nginx -t' });
  return { ok: run.code === 0, output: run.output };
}

/** Starts NGINX on written files; resolves once the status server answers its healthz. */
export async function runNginx(settings: RenderSettings): Promise<{ stop(): Promise<void> }> {
  const args = [...nginxArgs(settings), '-g', 'daemon off;'];
  const master = spawnManaged(NGINX, args, { name: 'nginx' });
  const stop = async (): Promise<void> => {
    await master.stop({ signal: 'SIGQUIT', timeoutMs: 5000 });
  };
  try {
    await waitFor(
      async () => {
        if (!master.running()) throw new StopWaiting(`nginx exited:\n${master.output()}`);
        const res = await httpRequest(`http://${settings.statusListen}/portico/healthz`);
        return res.status === 200;
      },
      { description: 'nginx status server to answer', timeoutMs: 10_000 },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop };
}
