/**
 * The emulator's HTTP server: `node:http`, bound to 127.0.0.1, one in-memory store. Wires the
 * store, the watch hub, fault injection and the handlers, and serves discovery and OpenAPI.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { AdmitFn } from './admission.ts';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, versionInfo } from './discovery.ts';
import { Faults, type FaultInjector } from './faults.ts';
import { handleResource, resourceNotFound, type HandlerDeps } from './handlers.ts';
import { readBody, sendJson } from './http.ts';
import { findKind, type KindInfo } from './kinds.ts';
import { kubeconfigYaml } from './kubeconfig.ts';
import { openapiDocument, openapiIndex } from './openapi.ts';
import { Resources } from './resources.ts';
import { parseRoute, type Route } from './router.ts';
import { admitObject } from './schema/index.ts';
import { ApiError, methodNotAllowed } from './status.ts';
import { ObjectStore } from './store.ts';
import { timestamp } from './util.ts';
import { WatchHub } from './watch-hub.ts';

export interface EmulatorOptions {
  /** 0 or absent: a free port. */
  port?: number;
  /** How many events are kept for watches to resume from (default 10,000). */
  historyLimit?: number;
  /** Interval of BOOKMARK events on watches that allow them (default 15 s; 0 disables). */
  bookmarkIntervalMs?: number;
  /** Called with one line per request (the CLI passes it at debug level). */
  onRequest?: (line: string) => void;
}

export interface Emulator {
  readonly url: string;
  readonly port: number;
  readonly faults: FaultInjector;
  /** A kubeconfig (YAML) pointing at this emulator. */
  kubeconfig(): string;
  writeKubeconfig(path: string): Promise<void>;
  close(): Promise<void>;
}

const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const NAMESPACE = findKind('', 'v1', 'namespaces') as KindInfo;

function ipAllocator(): () => string {
  let next = 10;
  return () => {
    const n = next++;
    return `10.96.${Math.floor(n / 254) % 256}.${(n % 254) + 1}`;
  };
}

function serveDiscovery(res: ServerResponse, route: Route, serverAddress: string): boolean {
  const bodies: Partial<Record<Route['type'], () => unknown>> = {
    version: versionInfo,
    api: () => apiVersions(serverAddress),
    apis: apiGroupList,
    openapiIndex,
    health: () => 'ok',
    group: () => (route.type === 'group' ? apiGroup(route.group) : undefined),
    resourceList: () =>
      route.type === 'resourceList' ? apiResourceList(route.group, route.version) : undefined,
    openapiDocument: () =>
      route.type === 'openapiDocument' ? openapiDocument(route.group, route.version) : undefined,
  };
  const body = bodies[route.type]?.();
  if (body === undefined) return false;
  if (route.type === 'health') {
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
    return true;
  }
  sendJson(res, 200, body);
  return true;
}

function sendError(res: ServerResponse, err: unknown): void {
  const apiError =
    err instanceof ApiError
      ? err
      : new ApiError(500, 'InternalError', `Internal error occurred: ${(err as Error).message}`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, apiError.code, apiError.status);
}

/** Starts an emulator on 127.0.0.1. A development and test tool, never a production component. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const now = (): Date => new Date();
  const store = new ObjectStore(options.historyLimit ?? 10_000);
  const hub = new WatchHub(store, {
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 15_000,
    now,
  });
  const faults = new Faults((info, abrupt) => hub.drop(info, abrupt));
  const resources = new Resources({
    store,
    admit: admitObject satisfies AdmitFn,
    randomSuffix: () =>
      Array.from({ length: 5 }, () => SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)]).join(''),
    uid: randomUUID,
    allocateIP: ipAllocator(),
  });
  for (const name of ['default', 'kube-system']) {
    resources.create(
      NAMESPACE,
      '',
      { metadata: { name } },
      { now: now(), version: 'v1', dryRun: false, fieldValidation: 'Strict' },
    );
  }
  const deps: HandlerDeps = { store, resources, hub, faults, now };
  let serverAddress = '127.0.0.1:0';

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = Date.now();
    try {
      if (faults.latencyMs > 0) await delay(faults.latencyMs);
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const route = parseRoute(url.pathname);
      if (route.type === 'resource') await handleResource(deps, req, res, url.searchParams, route);
      else if (route.type === 'faults') {
        if (req.method !== 'POST') throw methodNotAllowed('use POST');
        const body = await readBody(req);
        sendJson(res, 200, { ok: true, ...faults.run(body.trim() === '' ? {} : JSON.parse(body)) });
      } else if (req.method !== 'GET' || !serveDiscovery(res, route, serverAddress))
        throw resourceNotFound();
    } catch (err) {
      sendError(
        res,
        err instanceof SyntaxError ? new ApiError(400, 'BadRequest', err.message) : err,
      );
    } finally {
      options.onRequest?.(
        `${timestamp(new Date())} ${req.method ?? '?'} ${req.url ?? ''} ${res.statusCode} ${Date.now() - started}ms`,
      );
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  serverAddress = `127.0.0.1:${port}`;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    faults,
    kubeconfig: () => kubeconfigYaml(url),
    writeKubeconfig: (path) => writeFile(path, kubeconfigYaml(url), { mode: 0o600 }),
    close: async () => {
      hub.drop(undefined, false);
      faults.reset();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
