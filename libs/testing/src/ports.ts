/**
 * Free ports on 127.0.0.1, found by binding port 0 and asking the kernel which port it chose.
 * The ports handed out by this process are remembered, so two helpers of one test never get
 * the same port even if the first has not bound it yet.
 */
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { createSocket } from 'node:dgram';

const handedOut = new Set<number>();
const MAX_ATTEMPTS = 50;

function listenTcp(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => resolve(server));
  });
}

function closeTcp(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('TCP server has no port');
  return address.port;
}

/**
 * `n` distinct TCP ports that are free on 127.0.0.1 right now. All of them are held open at
 * the same time while they are chosen, so they are distinct from each other.
 */
export async function freePorts(n: number): Promise<number[]> {
  const servers: Server[] = [];
  const ports: number[] = [];
  try {
    for (let attempt = 0; ports.length < n && attempt < n + MAX_ATTEMPTS; attempt++) {
      const server = await listenTcp();
      servers.push(server);
      const port = portOf(server);
      if (!handedOut.has(port)) ports.push(port);
    }
  } finally {
    await Promise.all(servers.map(closeTcp));
  }
  if (ports.length < n) throw new Error(`could not find ${n} free TCP ports`);
  for (const port of ports) handedOut.add(port);
  return ports;
}

/** One TCP port that is free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  if (port === undefined) throw new Error('could not find a free TCP port');
  return port;
}

/** One UDP port that is free on 127.0.0.1 right now (for UDPRoute backends and listeners). */
export async function freeUdpPort(): Promise<number> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const socket = createSocket('udp4');
    const port = await new Promise<number>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ address: '127.0.0.1', port: 0, exclusive: true }, () =>
        resolve(socket.address().port),
      );
    });
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('could not find a free UDP port');
}
