import { connect, createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts, httpGet, processAlive, startNginx } from '../src/index.ts';
import type { RunningNginx } from '../src/index.ts';

function httpBody(port: number, answer: string): string {
  // js_var proves the njs http module is loaded.
  return [
    'js_var $portico_probe njs-loaded;',
    'server {',
    `    listen 127.0.0.1:${port};`,
    `    location = /answer { return 200 "${answer}"; }`,
    '    location = /probe { return 200 "$portico_probe"; }',
    '}',
  ].join('\n');
}

function streamBody(port: number, answer: string): string {
  // js_var proves the njs stream module is loaded.
  return [
    'js_var $portico_stream_probe stream;',
    `server { listen 127.0.0.1:${port}; return "${answer} $portico_stream_probe\\n"; }`,
  ].join('\n');
}

/** Connects to a stream `return` server and reads until it closes the connection. */
function readTcp(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}

function uidOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^Uid:\s+(\d+)/m);
  return Number(line?.[1]);
}

describe('startNginx', () => {
  let nginx: RunningNginx;
  let httpPort: number;
  let streamPort: number;

  beforeAll(async () => {
    [httpPort = 0, streamPort = 0] = await freePorts(2);
    nginx = await startNginx({
      http: httpBody(httpPort, 'first'),
      stream: streamBody(streamPort, 'tcp-first'),
    });
  });
  afterAll(async () => {
    await nginx.stop();
  });

  it('serves the http body, with the njs module loaded', async () => {
    const answer = await httpGet(`http://127.0.0.1:${httpPort}/answer`);
    expect([answer.status, answer.body]).toEqual([200, 'first']);
    expect((await httpGet(`http://127.0.0.1:${httpPort}/probe`)).body).toBe('njs-loaded');
  });

  it('serves the stream body, with the njs stream module loaded', async () => {
    expect(await readTcp(streamPort)).toBe('tcp-first stream\n');
  });

  it('keeps pid, logs and temp files inside its prefix', () => {
    expect(nginx.confPath.startsWith(nginx.prefix)).toBe(true);
    expect(readFileSync(nginx.paths.pidPath, 'utf8').trim()).toBe(String(nginx.pid));
    expect(readFileSync(nginx.confPath, 'utf8')).toContain(`pid ${nginx.prefix}/logs/nginx.pid;`);
  });

  it('test() accepts the running config', async () => {
    const result = await nginx.test();
    expect(result.ok).toBe(true);
    expect(result.output).toContain('test is successful');
  });

  it('reload() with a changed body serves the new answers from new workers', async () => {
    const before = nginx.workerPids();
    await nginx.reload({
      http: httpBody(httpPort, 'second'),
      stream: streamBody(streamPort, 'tcp-2'),
    });
    expect(nginx.workerPids().some((pid) => before.includes(pid))).toBe(false);
    expect((await httpGet(`http://127.0.0.1:${httpPort}/answer`)).body).toBe('second');
    expect(await readTcp(streamPort)).toBe('tcp-2 stream\n');
  });

  it('test() rejects a broken config with the NGINX error text', async () => {
    await nginx.configure({ http: 'server { listen 127.0.0.1:1; bogus_directive on; }' });
    const result = await nginx.test();
    expect(result.ok).toBe(false);
    expect(result.output).toContain('[emerg] unknown directive "bogus_directive"');
    expect(result.output).toContain('test failed');
  });

  it('reload() of a broken config rejects and the last good config keeps serving', async () => {
    const workers = nginx.workerPids();
    await expect(nginx.reload({ http: 'server { listen 127.0.0.1:1 }' })).rejects.toThrow(
      /nginx -t failed, not reloading:[\s\S]*\[emerg\]/,
    );
    expect(nginx.workerPids()).toEqual(workers);
    expect((await httpGet(`http://127.0.0.1:${httpPort}/answer`)).body).toBe('second');
  });
});

describe('startNginx failures and stop', () => {
  it('reload() rejects when NGINX fails at runtime (port in use) and keeps serving', async () => {
    const [port = 0, busy = 0] = await freePorts(2);
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(busy, '127.0.0.1', resolve));
    const nginx = await startNginx({ http: httpBody(port, 'kept') });
    try {
      const broken = `${httpBody(port, 'kept')}\nserver { listen 127.0.0.1:${busy}; }`;
      await expect(nginx.reload({ http: broken })).rejects.toThrow(
        /nginx reload failed: .*\[emerg\] \d+#\d+: bind\(\) to 127\.0\.0\.1:\d+ failed/,
      );
      expect((await httpGet(`http://127.0.0.1:${port}/answer`)).body).toBe('kept');
    } finally {
      await nginx.stop();
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('rejects with the NGINX error when it cannot start', async () => {
    await expect(startNginx({ http: 'server { nonsense; }' })).rejects.toThrow(
      /nginx exited:[\s\S]*unknown directive "nonsense"/,
    );
  });

  it('stop() leaves no master or worker process behind', async () => {
    const [port = 0] = await freePorts(1);
    const nginx = await startNginx({ http: httpBody(port, 'x'), workerProcesses: 2 });
    const pids = [nginx.pid, ...nginx.workerPids()];
    expect(pids).toHaveLength(3);
    expect(pids.every(processAlive)).toBe(true);
    await nginx.stop();
    expect(pids.filter(processAlive)).toEqual([]);
  });

  it('runs as a normal user (workers and master not root)', async () => {
    const [port = 0] = await freePorts(1);
    const asRoot = process.getuid?.() === 0;
    // As root, run it as nobody (65534) to exercise the non-root path; otherwise as ourselves.
    const nginx = await startNginx({
      http: httpBody(port, 'unprivileged'),
      ...(asRoot ? { runAs: { uid: 65534, gid: 65534 } } : {}),
    });
    try {
      expect(readFileSync(nginx.confPath, 'utf8')).not.toMatch(/^user /m);
      expect(uidOf(nginx.pid)).not.toBe(0);
      expect(
        nginx
          .workerPids()
          .map(uidOf)
          .every((uid) => uid !== 0),
      ).toBe(true);
      expect((await httpGet(`http://127.0.0.1:${port}/answer`)).body).toBe('unprivileged');
      expect((await nginx.test()).ok).toBe(true);
    } finally {
      await nginx.stop();
    }
  });
});
