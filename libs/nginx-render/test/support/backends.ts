/** Tiny in-process HTTP backends that answer with their name and what they received. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a backend saw, returned as its JSON response body. */
export interface Seen {
  backend: string;
  url: string;
  httpVersion: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface Backend {
  name: string;
  port: number;
  close(): Promise<void>;
}

/** Starts a backend on a free port of 127.0.0.1. */
export async function startBackend(name: string): Promise<Backend> {
  const server: Server = createServer((req, res) => {
    const seen: Seen = {
      backend: name,
      url: req.url ?? '',
      httpVersion: req.httpVersion,
      headers: req.headers,
    };
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(seen));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    name,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
