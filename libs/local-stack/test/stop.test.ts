/**
 * `stop()` of the local stack leaves nothing behind: no service, no NGINX master or worker,
 * no Redis, no echo backend, no emulator, and the listener port free again. (`npm start` and
 * every end-to-end test rely on this.)
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  childPids,
  freePort,
  httpGet,
  makeTempDir,
  processAlive,
  removeTempDir,
  trackedPids,
} from '@portico/testing';
import { startLocalStack, type LocalStack } from '../src/stack.ts';

const dirs: string[] = [];
let stack: LocalStack | undefined;

afterAll(async () => {
  await stack?.stop();
  for (const dir of dirs) await removeTempDir(dir);
});

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

describe('startLocalStack then stop()', { timeout: 120_000 }, () => {
  it('serves the seed example, then stops every process it started', async () => {
    const stateDir = await makeTempDir('local-stack-stop');
    dirs.push(stateDir);
    const listenerPort = await freePort();
    stack = await startLocalStack({ stateDir, portOffset: listenerPort - 80, reconcilers: 1 });
    await stack.waitForGatewayProgrammed('default', 'my-gateway', 60_000);
    const answer = await httpGet(`http://127.0.0.1:${listenerPort}/`, {
      headers: { host: 'www.example.local' },
    });
    expect(answer.status).toBe(200);

    const plane = stack.kubelet.planeFor('default', 'my-gateway');
    expect(plane?.portOffset).toBe(listenerPort - 80);
    const dataDir = join(stateDir, 'dataplanes', 'default_portico-my-gateway');
    const master = Number(await readFile(join(dataDir, 'run', 'nginx.pid'), 'utf8'));
    const pids = {
      services: [...stack.services.values()].map((s) => s.process.pid),
      dataPlanes: stack.kubelet.planes().map((p) => p.process.pid),
      redis: stack.redis?.pid(),
      echo: stack.seedBackend?.pid,
      nginxMaster: master,
      nginxWorkers: childPids(master),
    };
    const all = Object.values(pids)
      .flat()
      .filter((p): p is number => p !== undefined);
    expect([...stack.services.keys()].sort()).toEqual(['reconciler-1', 'watcher']);
    expect(pids.dataPlanes).toHaveLength(1);
    expect(pids.nginxWorkers.length).toBeGreaterThan(0);
    expect(all.every(processAlive), JSON.stringify(pids)).toBe(true);
    const emulatorUrl = stack.emulator.url;

    await stack.stop();
    stack = undefined;

    expect(all.filter(processAlive), JSON.stringify(pids)).toEqual([]);
    expect(trackedPids().filter((p) => all.includes(p))).toEqual([]);
    expect(await bindable(listenerPort)).toBe(true);
    await expect(httpGet(`${emulatorUrl}/version`)).rejects.toThrow();
    // Stopped informers report their aborted watches; a clean stop must not read as a failure
    // (nor restart them).
    const watcherLog = await readFile(join(stateDir, 'logs', 'watcher.log'), 'utf8');
    expect(watcherLog).toContain('"stop informers"');
    expect(watcherLog).not.toContain('watch failed');
  });
});
