/**
 * A real `redis-server` per test (or per suite): bound to 127.0.0.1 on a free port, a fresh
 * working directory, no persistence, so every run starts empty and nothing is left on disk.
 */
import { connect } from 'node:net';
import { freePort } from './ports.ts';
import { spawnManaged } from './process/children.ts';
import type { ManagedProcess } from './process/children.ts';
import { makeTempDir, removeTempDir } from './tmp.ts';
import { StopWaiting, waitFor } from './wait.ts';

/** A running Redis; `restart()` keeps the port so clients can reconnect to the same URL. */
export interface RunningRedis {
  url: string;
  port: number;
  /** The server's working directory (removed on stop). */
  dir: string;
  /** Pid of the current `redis-server` (changes on restart). */
  pid(): number;
  stop(): Promise<void>;
  /** Stops the server (all data is lost) and starts a new one on the same port. */
  restart(): Promise<void>;
  /** Kills the server with SIGKILL, as a crash would; `start()` brings it back, empty. */
  kill(): Promise<void>;
  /** Starts the server again on the same port after `kill()`; does nothing while it runs. */
  start(): Promise<void>;
}

/** Options of {@link startRedis}. */
export interface StartRedisOptions {
  /** Port to use; a free one by default. */
  port?: number;
  /** The `redis-server` binary. */
  binary?: string;
}

/** Starts `redis-server` and resolves once it answers PING. */
export async function startRedis(options: StartRedisOptions = {}): Promise<RunningRedis> {
  const port = options.port ?? (await freePort());
  const binary = options.binary ?? 'redis-server';
  const dir = await makeTempDir('redis');
  let current: ManagedProcess | undefined = await launch(binary, port, dir);
  const stop = async (): Promise<void> => {
    if (current === undefined) return;
    const proc = current;
    current = undefined;
    await proc.stop();
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    pid: () => {
      if (current === undefined) throw new Error('redis-server is stopped');
      return current.pid;
    },
    stop: async () => {
      await stop();
      await removeTempDir(dir);
    },
    restart: async () => {
      await stop();
      current = await launch(binary, port, dir);
    },
    kill: async () => {
      if (current === undefined) return;
      const proc = current;
      current = undefined;
      await proc.stop({ signal: 'SIGKILL' });
    },
    start: async () => {
      current ??= await launch(binary, port, dir);
    },
  };
}

async function launch(binary: string, port: number, dir: string): Promise<ManagedProcess> {
  const settings: Record<string, string> = {
    port: String(port),
    bind: '127.0.0.1',
    dir,
    save: '',
    appendonly: 'no',
    daemonize: 'no',
    'protected-mode': 'yes',
    loglevel: 'warning',
  };
  const args = Object.entries(settings).flatMap(([name, value]) => [`--${name}`, value]);
  const proc = spawnManaged(binary, args, { name: 'redis-server', cwd: dir });
  try {
    await waitFor(
      async () => {
        if (!proc.running()) throw new StopWaiting(`redis-server exited: ${proc.output()}`);
        return (await ping(port)) === '+PONG';
      },
      { description: `redis-server on 127.0.0.1:${port} to answer PING`, timeoutMs: 10_000 },
    );
  } catch (error) {
    await proc.stop();
    throw error;
  }
  return proc;
}

/** Sends an inline `PING` and resolves with the first reply line. */
function ping(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    socket.setEncoding('utf8');
    socket.setTimeout(1000, () => socket.destroy(new Error('PING timed out')));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: string) => {
      reply += chunk;
      const end = reply.indexOf('\r\n');
      if (end >= 0) {
        socket.destroy();
        resolve(reply.slice(0, end));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error('connection closed before a reply')));
  });
}
