/** Small side-effect helpers around the NGINX process: start-up config, stale masters, version checks. */
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { renderNginx, type RenderSettings } from '@portico/nginx-render';
import type { Logger } from '@portico/telemetry';
import { activateVersion, stageVersion, type ConfigDir } from './config-dir.ts';
import type { NginxTestResult } from './nginx-process.ts';

/**
 * NGINX needs a valid configuration to start: the renderer starts it on the empty one (status
 * server only) and then applies the Gateways' IRs through the normal path.
 */
export async function bootstrapConfig(
  dir: ConfigDir,
  settings: RenderSettings,
  test: (confPath: string) => Promise<NginxTestResult>,
): Promise<void> {
  const { files, version } = renderNginx([], settings);
  const confPath = await stageVersion(dir, version, files);
  const result = await test(confPath);
  if (!result.ok)
    throw new Error(`the empty NGINX configuration does not pass nginx -t: ${result.output}`);
  await activateVersion(dir, version);
}

/**
 * A renderer killed hard leaves its NGINX master running with the ports bound; the next
 * renderer on the same data directory stops it before starting its own.
 */
export async function killStaleMaster(pidFile: string, logger: Logger): Promise<void> {
  const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
  if (!Number.isInteger(pid) || pid <= 1) return;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!cmdline.includes('nginx')) return;
  logger.warn({ pid }, 'stopping an NGINX master left over by a previous renderer');
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100; i++) {
    if (!(await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => ''))) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  process.kill(pid, 'SIGKILL');
}

/**
 * `GET /portico/version` on a fresh connection: the body when the answer is 200, else
 * undefined. Plain HTTP/1.1 on a socket rather than `node:http`: during a slow reload this runs
 * every few milliseconds, and the http client's per-request machinery was most of the
 * renderer's CPU while it waited.
 */
function getVersion(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let response = '';
    const finish = (value: string | undefined) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(1_000, () => finish(undefined));
    socket.on('error', () => finish(undefined));
    socket.on('connect', () =>
      socket.write('GET /portico/version HTTP/1.1\r\nHost: status\r\nConnection: close\r\n\r\n'),
    );
    socket.on('data', (chunk: Buffer) => (response += chunk.toString('latin1')));
    socket.on('end', () => finish(versionFrom(response)));
  });
}

/** The body of a complete `200` response (NGINX sends `return 200 "..."` with a length). */
export function versionFrom(response: string): string | undefined {
  const split = response.indexOf('\r\n\r\n');
  if (split < 0 || !/^HTTP\/1\.[01] 200 /.test(response)) return undefined;
  return response.slice(split + 4).trim();
}

/** Polls the status server until it answers `version` (new workers took over) or time runs out. */
export async function waitForVersion(
  port: number,
  version: string,
  timeoutMs: number,
): Promise<boolean> {
  // After SIGHUP the master starts new workers and then tells the old ones to stop accepting;
  // for a moment an old worker may still take a new connection. Several answers in a row on
  // fresh connections make it very likely that every worker accepting connections is new.
  const inARow = 3;
  const deadline = Date.now() + timeoutMs;
  let seen = 0;
  while (Date.now() < deadline) {
    seen = (await getVersion(port)) === version ? seen + 1 : 0;
    if (seen >= inARow) return true;
    await new Promise((resolve) => setTimeout(resolve, seen > 0 ? 2 : 10));
  }
  return false;
}
