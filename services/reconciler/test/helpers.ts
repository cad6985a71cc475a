/**
 * A world for reconcile tests: the API emulator with the seed example applied by the real
 * kubectl, a real Redis store, and a `mirror()` that copies the API's objects into the store as
 * the watcher would (the reconciler reads only the store).
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
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
import { makeTempDir, removeTempDir, startRedis, type RunningRedis } from '@portico/testing';
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
  /** Applies YAML documents with the real kubectl, as a user would (not mirrored yet). */
  apply(manifest: string): Promise<void>;
  get(kind: ResourceKind, name: string, namespace?: string): Promise<KubeObject>;
  stop(): Promise<void>;
}

/**
 * One Redis for a test file (started before its tests, stopped after them); each World keeps
 * its store under its own key prefix, so tests sharing it do not see each other's objects.
 */
export function redisPerFile(): { readonly url: string } {
  let redis: RunningRedis | undefined;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());
  return {
    get url() {
      if (redis === undefined) throw new Error('Redis is not started yet (use it in a test hook)');
      return redis.url;
    },
  };
}

/** A clock the test moves by hand. */
export function manualClock(start = '2026-01-01T00:00:00Z') {
  let now = new Date(start);
  return {
    now: () => now,
    advance: (seconds: number) => (now = new Date(now.getTime() + seconds * 1000)),
  };
}
export type ManualClock = ReturnType<typeof manualClock>;

/** The World of the running test and the clock its reconciles read. */
export interface WorldPerTest {
  readonly world: World;
  /** At 2026-01-01T00:00:00Z when the test starts. */
  readonly clock: ManualClock;
}

/**
 * Registers the hooks of a test file whose tests each start from a fresh World (the seed
 * applied, then `prepare`: by default a mirror into the store) over one Redis for the file.
 * `start` builds the World (e.g. one that provisions data planes).
 */
export function worldPerTest(
  options: {
    prepare?: (world: World) => Promise<void>;
    start?: (redisUrl: string, now: () => Date) => Promise<World>;
  } = {},
): WorldPerTest {
  const redis = redisPerFile();
  const { prepare = (world: World) => world.mirror(), start = startWorld } = options;
  let current: WorldPerTest | undefined;
  beforeEach(async () => {
    const clock = manualClock();
    current = { world: await start(redis.url, clock.now), clock };
    await prepare(current.world);
  });
  afterEach(async () => {
    await current?.world.stop();
    current = undefined;
  });
  const running = (): WorldPerTest => {
    if (current === undefined) throw new Error('no World outside a test');
    return current;
  };
  return {
    get world() {
      return running().world;
    },
    get clock() {
      return running().clock;
    },
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
    apply: async (manifest) => {
      const file = join(dir, `manifest-${randomUUID().slice(0, 8)}.yaml`);
      await writeFile(file, manifest);
      await kubectlOk(kubeconfigPath, ['apply', '-f', file]);
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
