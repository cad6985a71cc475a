import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { freePort, freePorts, freeUdpPort } from '../src/index.ts';

function bindTcp(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port }, () => server.close(() => resolve()));
  });
}

describe('free ports', () => {
  it('freePorts(n) gives n distinct ports that can be bound on 127.0.0.1', async () => {
    const ports = await freePorts(5);
    expect(new Set(ports).size).toBe(5);
    for (const port of ports) await bindTcp(port);
  });

  it('never hands out the same port twice in one process', async () => {
    const seen = new Set<number>();
    for (let i = 0; i < 20; i++) seen.add(await freePort());
    expect(seen.size).toBe(20);
  });

  it('freeUdpPort gives a UDP port that can be bound on 127.0.0.1', async () => {
    const port = await freeUdpPort();
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, '127.0.0.1', () => resolve());
    });
    expect(socket.address().port).toBe(port);
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  });
});
