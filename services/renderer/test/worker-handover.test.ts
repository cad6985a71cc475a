/**
 * Early worker hand-over: the pure parts on /proc texts, then a real NGINX with two workers
 * reloaded under a steady stream of requests on fresh connections.
 */
import { request } from 'node:http';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childPids, freePorts, startNginx, waitFor, type RunningNginx } from '@portico/testing';
import {
  currentGeneration,
  isReadyWorker,
  parentPid,
  retireOldWorkers,
  titleOf,
  workersToRetire,
  type ProcessEntry,
} from '../src/worker-handover.ts';

describe('reading /proc', () => {
  it.each([
    ['a plain name', '4242 (nginx) S 4100 4100 4100 0 -1', 4100],
    ['a name with spaces and parentheses', '77 (a (b) c) S 12 77 77 0 -1', 12],
    ['garbage', 'nothing here', undefined],
  ])('parentPid reads %s', (_, stat, expected) => {
    expect(parentPid(stat)).toBe(expected);
  });

  it.each([
    ['a worker', 'nginx: worker process\0\0\0\0', 'nginx: worker process', true],
    [
      'a worker shutting down',
      'nginx: worker process is shutting down\0\0',
      'nginx: worker process is shutting down',
      false,
    ],
    [
      'a fresh fork still titled as the master',
      'nginx: master process /usr/sbin/nginx -p /x/\0',
      'nginx: master process /usr/sbin/nginx -p /x/',
      false,
    ],
  ])('titleOf and isReadyWorker: %s', (_, cmdline, title, ready) => {
    expect(titleOf(cmdline)).toBe(title);
    expect(isReadyWorker(titleOf(cmdline))).toBe(ready);
  });
});

describe('workersToRetire', () => {
  const entry = (pid: number, title: string): ProcessEntry => ({ pid, ppid: 1, title });
  const worker = 'nginx: worker process';
  const forked = 'nginx: master process /usr/sbin/nginx';
  const old = new Set([10, 11]);

  it.each([
    ['no new worker yet', [entry(10, worker), entry(11, worker)], undefined],
    [
      'new workers forked but not set up',
      [entry(10, worker), entry(11, worker), entry(20, forked), entry(21, forked)],
      undefined,
    ],
    [
      'one of two new workers ready',
      [entry(10, worker), entry(11, worker), entry(20, worker), entry(21, forked)],
      undefined,
    ],
    [
      'as many ready as the old generation',
      [entry(10, worker), entry(11, worker), entry(20, worker), entry(21, worker)],
      [10, 11],
    ],
    ['an old worker already gone', [entry(11, worker), entry(20, worker), entry(21, worker)], [11]],
  ])('%s', (_, children, expected) => {
    expect(workersToRetire(old, children)).toEqual(expected);
  });
});

function httpBody(port: number, version: string): string {
  return `server { listen 127.0.0.1:${port}; location / { return 200 "${version}"; } }`;
}

/** One request on a fresh connection: the body, or the error's code. */
function fetchOnce(port: number): Promise<string> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve(res.statusCode === 200 ? body : `status ${res.statusCode}`));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(`error ${error.code ?? error}`));
    req.end();
  });
}

describe('a real NGINX reloaded with an early hand-over', () => {
  let nginx: RunningNginx;
  let port: number;

  beforeAll(async () => {
    [port] = (await freePorts(1)) as [number];
    nginx = await startNginx({ workerProcesses: 2, modules: [], http: httpBody(port, 'v1') });
  });
  afterAll(async () => {
    await nginx?.stop();
  });

  /** Reloads into `version` with the early hand-over; resolves with the retired pids. */
  async function reloadInto(version: string): Promise<{ old: Set<number>; retired: number[] }> {
    await nginx.configure({ http: httpBody(port, version) });
    expect((await nginx.test()).ok).toBe(true);
    const generation = currentGeneration(nginx.pid);
    expect([...generation.workers].sort()).toEqual(childPids(nginx.pid));
    process.kill(nginx.pid, 'SIGHUP');
    const retired = await retireOldWorkers(nginx.pid, generation, { timeoutMs: 5_000 });
    return { old: generation.workers, retired };
  }

  async function oldWorkersGone(old: Set<number>): Promise<void> {
    await waitFor(() => [...old].every((pid) => !childPids(nginx.pid).includes(pid)), {
      timeoutMs: 5_000,
      description: 'old workers gone',
    });
    // The master keeps its worker count: nothing was respawned in the old ones' place.
    expect(childPids(nginx.pid)).toHaveLength(2);
  }

  // Timing: the renderer must see the new workers within the master's 100 ms pause. With an
  // idle event loop it polls every 2 ms; a starved machine could still lose that race.
  it('signals the old workers itself once both new ones are ready', async () => {
    const { old, retired } = await reloadInto('v2');
    expect(old.size).toBe(2);
    expect(retired.sort()).toEqual([...old].sort());
    expect(await fetchOnce(port)).toBe('v2');
    await oldWorkersGone(old);
  });

  it('refuses no request while the generations change hands', async () => {
    const answers: string[] = [];
    let running = true;
    const clients = Array.from({ length: 4 }, async () => {
      while (running) answers.push(await fetchOnce(port));
    });
    await waitFor(() => answers.length > 20, { timeoutMs: 5_000, description: 'v2 answers' });
    const { old, retired } = await reloadInto('v3');
    // Busy with the clients, this event loop may lose the race to the master: then it sends
    // nothing.
    expect([[...old].sort(), []]).toContainEqual(retired.sort());
    await waitFor(() => answers.slice(-20).every((a) => a === 'v3'), {
      timeoutMs: 5_000,
      description: 'only v3 answers',
    });
    running = false;
    await Promise.all(clients);
    await oldWorkersGone(old);
    expect(answers.filter((a) => a !== 'v2' && a !== 'v3')).toEqual([]);
  });

  it('retires nothing when NGINX refuses the reload, and the old workers keep serving', async () => {
    // A port taken by someone else: `nginx -t` does not bind, the reload fails to.
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const busy = (taken.address() as { port: number }).port;
    try {
      const before = await fetchOnce(port);
      await nginx.configure({
        http: `${httpBody(port, 'v9')}\nserver { listen 127.0.0.1:${busy}; return 200; }`,
      });
      expect((await nginx.test()).ok).toBe(true);
      const generation = currentGeneration(nginx.pid);
      process.kill(nginx.pid, 'SIGHUP');
      const retired = await retireOldWorkers(nginx.pid, generation, { timeoutMs: 1_500 });
      expect(retired).toEqual([]);
      expect(childPids(nginx.pid)).toEqual([...generation.workers].sort((a, b) => a - b));
      expect(await fetchOnce(port)).toBe(before);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
