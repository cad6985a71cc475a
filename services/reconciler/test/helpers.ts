/**
 * A world for reconcile tests: the API emulator with the seed example applied by the real
 * kubectl, a real Redis store, and a `mirror()` that copies the API's objects into the store as
 * the watcher would (the reconciler reads only the store).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '@portico/kube-emulator';
import {
  KubeRest,
  RESOURCES,
  collectionPath,
  objectPath,
  type KubeList,
  type KubeObject,
  type ResourceKind,
} from '@portico/kube';
import { kubectlOk, SEED_DIR, writeEndpointSlice } from '@portico/local-stack';
import type { ReconcileContext } from '@portico/queue';
import { createStore, type Store } from '@portico/store';
import { createLogger } from '@portico/telemetry';
import { makeTempDir, removeTempDir } from '@portico/testing';
import { SUPPORTED_FEATURES } from '../src/config.ts';
import type { ReconcileDeps } from '../src/reconcile.ts';

export const CONTROLLER = 'portico.dev/gateway-controller';
export const GATEWAY_KEY = 'gateway/default/my-gateway';

const MIRRORED: ResourceKind[] = [
  'GatewayClass',
  'Gateway',
  'HTTPRoute',
  'ReferenceGrant',
  'Service',
  'EndpointSlice',
  'Namespace',
  'GatewayParameters',
  'TCPRoute',
  'UDPRoute',
  'TLSRoute',
  'ListenerSet',
];

export interface World {
  emulator: Emulator;
  rest: KubeRest;
  store: Store;
  kubeconfigPath: string;
  deps: ReconcileDeps;
  context: ReconcileContext;
  /** Copies every mirrored kind from the API into the store, replacing what it held. */
  mirror(): Promise<void>;
  get(kind: ResourceKind, name: string, namespace?: string): Promise<KubeObject>;
  stop(): Promise<void>;
}

/** A clock the test moves by hand. */
export function manualClock(start = '2026-01-01T00:00:00Z') {
  let now = new Date(start);
  return {
    now: () => now,
    advance: (seconds: number) => (now = new Date(now.getTime() + seconds * 1000)),
  };
}

export async function startWorld(redisUrl: string, now: () => Date): Promise<World> {
  const emulator = await startEmulator();
  const dir = await makeTempDir('reconciler-test');
  const kubeconfigPath = join(dir, 'kubeconfig');
  await emulator.writeKubeconfig(kubeconfigPath);
  const rest = KubeRest.fromPath(kubeconfigPath);
  await kubectlOk(kubeconfigPath, ['apply', '-f', SEED_DIR]);
  await writeEndpointSlice(rest, {
    namespace: 'default',
    service: 'httpbin',
    portName: 'http',
    endpoints: [{ address: '127.0.0.1', port: 8080 }],
  });
  const store = createStore({ connection: redisUrl, prefix: `test-${randomUUID().slice(0, 8)}` });
  const get = (kind: ResourceKind, name: string, namespace?: string) =>
    rest.request<KubeObject>('GET', objectPath(RESOURCES[kind], namespace, name));
  return {
    emulator,
    rest,
    store,
    kubeconfigPath,
    deps: {
      store,
      rest,
      controllerName: CONTROLLER,
      addresses: [{ type: 'IPAddress', value: '127.0.0.1' }],
      supportedFeatures: SUPPORTED_FEATURES,
      now,
    },
    context: { logger: createLogger('reconciler-test', { level: 'silent' }), attempt: 1 },
    mirror: async () => {
      for (const kind of MIRRORED) {
        const list = await rest.request<KubeList<KubeObject>>(
          'GET',
          collectionPath(RESOURCES[kind]),
        );
        await store.replaceAll(
          kind,
          list.items.map((item) => ({ ...item, kind })),
        );
      }
    },
    get,
    stop: async () => {
      await store.close();
      await emulator.close();
      await removeTempDir(dir);
    },
  };
}

/** Writes a status directly (as another controller would), through the status subresource. */
export async function putStatus(
  world: World,
  kind: ResourceKind,
  name: string,
  namespace: string | undefined,
  status: unknown,
): Promise<void> {
  const current = await world.get(kind, name, namespace);
  await world.rest.request('PUT', `${objectPath(RESOURCES[kind], namespace, name)}/status`, {
    body: { ...current, status },
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

/** The condition of `type` in a status's `conditions`. */
export function condition(conditions: unknown, type: string): Json | undefined {
  return (conditions as Json[] | undefined)?.find((c) => c.type === type);
}
