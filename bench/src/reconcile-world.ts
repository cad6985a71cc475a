/**
 * The world of the reconcile CPU bench: the API emulator (in this process) with the seed
 * example and `routes` HTTPRoutes, each to its own Service and EndpointSlice, on the seed
 * Gateway; a real Redis store mirrored from the API as the watcher would fill it; and the
 * reconcile handler's dependencies, with a logger that hands back each run's phase times.
 */
import { join } from 'node:path';
import { startEmulator } from '@portico/kube-emulator';
import {
  collectionPath,
  isNotFound,
  KubeRest,
  objectPath,
  RESOURCES,
  type KubeList,
  type KubeObject,
  type ResourceKind,
} from '@portico/kube';
import { kubectlOk, SEED_DIR, writeEndpointSlice } from '@portico/local-stack';
import type { ReconcileContext } from '@portico/queue';
import { IRHashes, type ReconcileDeps } from '@portico/reconciler/reconcile';
import { createStore, type Store, type StoredObject } from '@portico/store';
import { createLogger } from '@portico/telemetry';
import { makeTempDir, removeTempDir, startRedis } from '@portico/testing';
import { BENCH_NAMESPACE, benchRoute, inParallel } from './routes.ts';

export const GATEWAY_KEY = 'gateway/default/my-gateway';
const CONTROLLER = 'portico.dev/gateway-controller';
const MIRRORED: ResourceKind[] = [
  'GatewayClass',
  'Gateway',
  'HTTPRoute',
  'Service',
  'EndpointSlice',
  'Namespace',
];
const WRITE_LANES = 16;

export interface ReconcileWorld {
  rest: KubeRest;
  store: Store;
  deps: ReconcileDeps;
  context: ReconcileContext;
  /** Phase times (ms) of the reconciles run since the last call, oldest first. */
  takePhases(): Record<string, number>[];
  /** Copies one object from the API into the store, or removes it there (the watcher's job). */
  mirrorOne(kind: ResourceKind, name: string, namespace?: string): Promise<void>;
  stop(): Promise<void>;
}

/** The stored form (no managedFields, no last-applied annotation), as the watcher keeps it. */
function stored(kind: string, object: KubeObject): StoredObject {
  const { managedFields: _managed, annotations, ...metadata } = object.metadata;
  const kept = Object.entries(annotations ?? {}).filter(
    ([key]) => key !== 'kubectl.kubernetes.io/last-applied-configuration',
  );
  return {
    ...object,
    kind,
    metadata: {
      ...metadata,
      ...(kept.length > 0 ? { annotations: Object.fromEntries(kept) } : {}),
    },
  } as StoredObject;
}

/** `service-<i>`, port 80 (`http`), one endpoint: what route `route-<i>` sends to. */
async function createBackend(rest: KubeRest, name: string): Promise<void> {
  await rest.request('POST', collectionPath(RESOURCES.Service, BENCH_NAMESPACE), {
    body: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: BENCH_NAMESPACE },
      spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
    },
  });
  await writeEndpointSlice(rest, {
    namespace: BENCH_NAMESPACE,
    service: name,
    portName: 'http',
    endpoints: [{ address: '127.0.0.1', port: 8080 }],
  });
}

/** A route like the propagation bench's, to its own Service, on `gateway` (default the seed's). */
export function routeTo(name: string, service: string, gateway = 'my-gateway'): KubeObject {
  const route = benchRoute(name);
  const spec = route.spec as {
    parentRefs: { name: string }[];
    rules: { backendRefs: { name: string }[] }[];
  };
  spec.parentRefs = [{ name: gateway }];
  for (const rule of spec.rules) for (const ref of rule.backendRefs) ref.name = service;
  return route;
}

/** `gw-<i>`: another Gateway like the seed's, for routes that are not the measured one's. */
async function createGateway(rest: KubeRest, name: string): Promise<void> {
  const seed = await rest.request<KubeObject>(
    'GET',
    objectPath(RESOURCES.Gateway, 'default', 'my-gateway'),
  );
  await rest.request('POST', collectionPath(RESOURCES.Gateway, 'default'), {
    body: {
      apiVersion: seed.apiVersion,
      kind: 'Gateway',
      metadata: { name, namespace: 'default' },
      spec: seed.spec,
    },
  });
}

/** The Gateway of route `i` when routes are spread over `gateways` (route 0 on the seed's). */
export function gatewayOf(i: number, gateways: number): string {
  return i % gateways === 0 ? 'my-gateway' : `gw-${i % gateways}`;
}

/**
 * `routes` routes spread over `gateways` Gateways: the seed's (the one measured) holds every
 * `gateways`-th route.
 */
export async function startReconcileWorld(routes: number, gateways = 1): Promise<ReconcileWorld> {
  const redis = await startRedis();
  const emulator = await startEmulator({ port: 0 });
  const dir = await makeTempDir('bench-reconcile');
  const kubeconfigPath = join(dir, 'kubeconfig');
  await emulator.writeKubeconfig(kubeconfigPath);
  const rest = KubeRest.fromPath(kubeconfigPath);
  await kubectlOk(kubeconfigPath, ['apply', '-f', SEED_DIR]);
  for (let g = 1; g < gateways; g++) await createGateway(rest, `gw-${g}`);
  const indexes = Array.from({ length: routes }, (_, i) => i);
  await inParallel(indexes, WRITE_LANES, async (i) => {
    await createBackend(rest, `service-${i}`);
    await rest.request('POST', collectionPath(RESOURCES.HTTPRoute, BENCH_NAMESPACE), {
      body: routeTo(`route-${i}`, `service-${i}`, gatewayOf(i, gateways)),
    });
  });
  const store = createStore({ connection: redis.url, prefix: 'bench' });
  for (const kind of MIRRORED) {
    const list = await rest.request<KubeList<KubeObject>>('GET', collectionPath(RESOURCES[kind]));
    await store.replaceAll(
      kind,
      list.items.map((item) => stored(kind, item)),
    );
  }
  let phases: Record<string, number>[] = [];
  const logger = createLogger('bench-reconcile', {
    level: 'debug',
    destination: {
      write(line: string) {
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (entry.msg !== 'reconciled') return;
        phases.push(
          Object.fromEntries(Object.entries(entry).filter(([key]) => key.endsWith('Ms'))) as Record<
            string,
            number
          >,
        );
      },
    },
  });
  return {
    rest,
    store,
    deps: {
      store,
      rest,
      controllerName: CONTROLLER,
      addresses: [{ type: 'IPAddress', value: '127.0.0.1' }],
      supportedFeatures: [],
      now: () => new Date(),
      irHashes: new IRHashes(), // as the reconciler's main.ts wires it
    },
    context: { logger, attempt: 1 },
    takePhases: () => {
      const taken = phases;
      phases = [];
      return taken;
    },
    mirrorOne: async (kind, name, namespace) => {
      const object = await rest
        .request<KubeObject>('GET', objectPath(RESOURCES[kind], namespace, name))
        .catch((error: unknown) => {
          if (isNotFound(error)) return undefined;
          throw error;
        });
      if (object) await store.putObject(kind, stored(kind, object));
      else await store.deleteObject(kind, namespace, name);
    },
    stop: async () => {
      await store.close();
      await emulator.close();
      await redis.stop();
      await removeTempDir(dir);
    },
  };
}
