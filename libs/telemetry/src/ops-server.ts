import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** What a service says about its readiness: ready, or not ready and why (shown by /readyz). */
export type Readiness = { ready: true } | { ready: false; reason: string };

/** Options of {@link startOpsServer}. */
export interface OpsServerOptions {
  /** Port to listen on; 0 picks a free one (tests). */
  port: number;
  /** Interface to bind; defaults to all interfaces, as kubelet probes come from outside. */
  host?: string;
  registry: Registry;
  /** Asked on every /readyz: e.g. "initial list processed and Redis connected" (invariant 9). */
  isReady: () => Readiness | Promise<Readiness>;
}

/** A running ops server. */
export interface OpsServer {
  /** The port actually bound (useful with `port: 0`). */
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The HTTP endpoints every service exposes to its orchestrator and to Prometheus:
 * `/healthz` answers 200 while the process runs (liveness: restart only a stuck process),
 * `/readyz` answers 200 only when `isReady()` says so and 503 with the reason otherwise,
 * `/metrics` serves the registry in the Prometheus text format.
 */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const server = createServer((req, res) => {
    route(req, options).then(
      (answer) => send(res, answer),
      (err: unknown) => send(res, { status: 500, type: TEXT, body: `error: ${String(err)}\n` }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

const TEXT = 'text/plain; charset=utf-8';

interface Answer {
  status: number;
  type: string;
  body: string;
}

async function route(req: IncomingMessage, options: OpsServerOptions): Promise<Answer> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return { status: 405, type: TEXT, body: 'method not allowed\n' };
  }
  const path = new URL(req.url ?? '/', 'http://ops').pathname;
  switch (path) {
    case '/healthz':
      return { status: 200, type: TEXT, body: 'ok\n' };
    case '/readyz': {
      const readiness = await options.isReady();
      return readiness.ready
        ? { status: 200, type: TEXT, body: 'ready\n' }
        : { status: 503, type: TEXT, body: `not ready: ${readiness.reason}\n` };
    }
    case '/metrics':
      return {
        status: 200,
        type: options.registry.contentType,
        body: await options.registry.metrics(),
      };
    default:
      return { status: 404, type: TEXT, body: 'not found\n' };
  }
}

function send(res: ServerResponse, answer: Answer): void {
  res.writeHead(answer.status, { 'content-type': answer.type, 'cache-control': 'no-store' });
  res.end(res.req.method === 'HEAD' ? undefined : answer.body);
}
