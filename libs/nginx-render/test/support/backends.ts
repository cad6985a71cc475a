/**
 * Tiny in-process HTTP backends that answer with their name and what they received, and can
 * misbehave on request: `?delay=<ms>` answers late, `?fail=<n>&key=<k>` answers 500 to the
 * first n requests carrying that key (for retries). Each keeps a log of what it saw (for
 * mirrors, whose answers nobody reads).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

/** What a backend saw, returned as its JSON response body. */
export interface Seen {
  backend: string;
  method: string;
  url: string;
  httpVersion: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface Backend {
  name: string;
  port: number;
  /** Every request received, in order. */
  log: Seen[];
  close(): Promise<void>;
}

/** Starts a backend on a free port of 127.0.0.1. */
export async function startBackend(name: string): Promise<Backend> {
  const log: Seen[] = [];
  const failures = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const seen: Seen = {
      backend: name,
      method: req.method ?? '',
      url: req.url ?? '',
      httpVersion: req.httpVersion,
      headers: req.headers,
    };
    log.push(seen);
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    const key = query.get('key') ?? '';
    const failed = failures.get(key) ?? 0;
    const status = failed < Number(query.get('fail') ?? 0) ? 500 : 200;
    if (status === 500) failures.set(key, failed + 1);
    setTimeout(
      () => {
        res.statusCode = status;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(seen));
      },
      Number(query.get('delay') ?? 0),
    );
  });
  // WebSocket-style upgrades: accept, then echo every byte back.
  const upgraded = new Set<Duplex>();
  server.on('upgrade', (req, socket: Duplex) => {
    upgraded.add(socket);
    log.push({
      backend: name,
      method: req.method ?? '',
      url: req.url ?? '',
      httpVersion: req.httpVersion,
      headers: req.headers,
    });
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n',
    );
    socket.on('data', (data: Buffer) => socket.write(data));
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    name,
    port,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        for (const socket of upgraded) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
