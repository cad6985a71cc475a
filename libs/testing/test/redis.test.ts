import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processAlive, startRedis, waitFor } from '../src/index.ts';
import type { RunningRedis } from '../src/index.ts';

/** Sends one inline command then QUIT, and returns the raw reply to the command. */
function command(port: number, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${line}\r\nQUIT\r\n`));
    socket.on('data', (chunk: string) => (reply += chunk));
    socket.on('close', () => resolve(reply.replace(/\+OK\r\n$/, '')));
    socket.on('error', reject);
  });
}

describe('startRedis', () => {
  let redis: RunningRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis.stop();
  });

  it('answers PING on 127.0.0.1 at the port in its URL', async () => {
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(await command(redis.port, 'PING')).toBe('+PONG\r\n');
  });

  it('does not persist (save and appendonly are off)', async () => {
    expect(await command(redis.port, 'CONFIG GET save')).toBe('*2\r\n$4\r\nsave\r\n$0\r\n\r\n');
    expect(await command(redis.port, 'CONFIG GET appendonly')).toBe(
      '*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n',
    );
  });

  it('restart() keeps the port, starts a new process and loses the data', async () => {
    expect(await command(redis.port, 'SET k v')).toBe('+OK\r\n');
    const before = redis.pid();
    await redis.restart();
    expect(redis.pid()).not.toBe(before);
    expect(processAlive(before)).toBe(false);
    expect(await command(redis.port, 'PING')).toBe('+PONG\r\n');
    expect(await command(redis.port, 'GET k')).toBe('$-1\r\n');
  });
});

describe('RunningRedis.stop', () => {
  it('ends the process and frees the port', async () => {
    const redis = await startRedis();
    const pid = redis.pid();
    await redis.stop();
    expect(processAlive(pid)).toBe(false);
    await waitFor(
      () =>
        command(redis.port, 'PING').then(
          () => false,
          () => true,
        ),
      {
        description: 'the port to refuse connections',
        timeoutMs: 2000,
      },
    );
  });
});
