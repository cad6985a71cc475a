// tcpOutcome against real sockets: each outcome it names happens for what it says.
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '@portico/testing';
import { tcpOutcome, type TcpOutcome } from './sockets.ts';

const servers: Server[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function serve(onSocket: (socket: Socket) => void): Promise<string> {
  const server = createServer((socket) => {
    sockets.push(socket);
    onSocket(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return `127.0.0.1:${address.port}`;
}

describe('tcpOutcome', () => {
  it.each<[string, TcpOutcome, () => Promise<string>]>([
    ['nothing listening', 'refused', async () => `127.0.0.1:${await freePort()}`],
    ['a server that closes at once', 'closed', () => serve((s) => s.end())],
    ['a server that resets', 'closed', () => serve((s) => s.resetAndDestroy())],
    ['an echo', 'answered', () => serve((s) => s.on('data', (d) => s.write(d)))],
    ['a server that never answers', 'hanging', () => serve(() => undefined)],
  ])('%s: %s', async (_name, want, start) => {
    expect(await tcpOutcome(await start(), 'ping\n', 500)).toBe(want);
  });
});
