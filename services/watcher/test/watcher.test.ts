import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startRedis, type RunningRedis } from '@portico/testing';
import { createReconcileQueue, type ReconcileQueue } from '@portico/queue';
import { createStore, type Store } from '@portico/store';
import { createLogger, createMetrics, type Metrics } from '@portico/telemetry';
import { MIRRORED_KINDS } from '../src/mirror-state.ts';
import { Watcher } from '../src/watcher.ts';
import {
  endpointSlice,
  gateway,
  gatewayClass,
  httpRoute,
  service,
  CONTROLLER,
} from './fixtures.ts';

/** What the store held for the watched kinds at the moment a key was enqueued. */
interface RecordedAdd {
  key: string;
  routes: Record<string, string | undefined>;
}

let redis: RunningRedis;
let store: Store;
let connection: Redis;
let queue: ReconcileQueue;
let metrics: Metrics;
let watcher: Watcher;
let adds: RecordedAdd[];

/**
 * The real queue, with every `add` first reading the real store: proves the state that caused
 * a job is stored before the job exists (invariant 2 depends on it).
 */
function recordingQueue(real: ReconcileQueue): ReconcileQueue {
  return new Proxy(real, {
    get(target, property, receiver) {
      if (property !== 'add') return Reflect.get(target, property, receiver) as unknown;
      return async (...args: Parameters<ReconcileQueue['add']>) => {
        const routes = await store.listObjects<{
          metadata: { name: string; resourceVersion?: string };
        }>('HTTPRoute');
        adds.push({
          key: args[0],
          routes: Object.fromEntries(
            routes.map((r) => [r.metadata.name, r.metadata.resourceVersion]),
          ),
        });
        return target.add(...args);
      };
    },
  });
}

async function waitingKeys(): Promise<string[]> {
  const jobs = await queue.getJobs(['waiting', 'delayed', 'prioritized']);
  return jobs.map((job) => job.data.key).sort();
}

async function eventCount(kind: string, result: string): Promise<number> {
  const metric = await metrics.registry.getSingleMetric('portico_watch_events_total')?.get();
  return (
    metric?.values.find((v) => v.labels.kind === kind && v.labels.result === result)?.value ?? 0
  );
}

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());

beforeEach(() => {
  const prefix = `test-${randomUUID().slice(0, 8)}`;
  store = createStore({ connection: redis.url, prefix });
  connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  queue = createReconcileQueue({ connection, prefix });
  metrics = createMetrics('watcher');
  adds = [];
  watcher = new Watcher({
    store,
    queue: recordingQueue(queue),
    controllerName: CONTROLLER,
    logger: createLogger('watcher-test', { level: 'silent' }),
    metrics,
  });
});
afterEach(async () => {
  await watcher.drain();
  await queue.close();
  await store.close();
  connection.disconnect();
});

/** A class, a Gateway of it and a route to Service `httpbin`, handled and drained. */
async function seed(): Promise<void> {
  watcher.handle('GatewayClass', 'add', gatewayClass());
  watcher.handle('Gateway', 'add', gateway());
  watcher.handle('HTTPRoute', 'add', httpRoute('5'));
  await watcher.drain();
}

describe('Watcher', () => {
  it('stores every change before it enqueues the keys it affects', async () => {
    await seed();
    watcher.handle('HTTPRoute', 'update', httpRoute('6', 'api.example.local'));
    watcher.handle('HTTPRoute', 'delete', httpRoute('6', 'api.example.local'));
    await watcher.drain();

    const routeAdds = adds.filter((a) => a.key === 'gateway/default/gw');
    // Gateway add (no route yet), route add (rv 5), route update (rv 6), route delete (gone).
    expect(routeAdds.map((a) => a.routes.httpbin ?? 'absent')).toEqual([
      'absent',
      '5',
      '6',
      'absent',
    ]);
    expect(adds.map((a) => a.key)).toContain('gatewayclass/portico');
    expect(await waitingKeys()).toEqual(['gateway/default/gw', 'gatewayclass/portico']);
    expect(await store.getObject('HTTPRoute', 'default', 'httpbin')).toBeUndefined();
  });

  it('mirrors an unreferenced Service and its EndpointSlice but enqueues nothing for them', async () => {
    await seed();
    const before = adds.length;
    watcher.handle('Service', 'add', service('lonely'));
    watcher.handle('EndpointSlice', 'add', endpointSlice('lonely'));
    await watcher.drain();
    expect(adds.length).toBe(before);
    expect(await store.getObject('Service', 'default', 'lonely')).toMatchObject({
      kind: 'Service',
    });
    expect(await store.getObject('EndpointSlice', 'default', 'lonely-abc')).toBeDefined();
    expect(await eventCount('Service', 'unreferenced')).toBe(1);
    expect(await eventCount('EndpointSlice', 'unreferenced')).toBe(1);

    // The referenced one does reach the queue, for the Gateway of the route that names it.
    watcher.handle('Service', 'add', service('httpbin'));
    watcher.handle('EndpointSlice', 'add', endpointSlice('httpbin'));
    await watcher.drain();
    expect(adds.slice(before).map((a) => a.key)).toEqual([
      'gateway/default/gw',
      'gateway/default/gw',
    ]);
    expect(await eventCount('Service', 'enqueued')).toBe(1);
  });

  it('ignores a status-only change but stores its status', async () => {
    await seed();
    const before = adds.length;
    const withStatus = { ...gateway('gw', '9'), status: { conditions: [{ type: 'Accepted' }] } };
    watcher.handle('Gateway', 'update', withStatus);
    await watcher.drain();
    expect(adds.length).toBe(before);
    expect(await eventCount('Gateway', 'ignored')).toBe(1);
    expect(await store.getObject('Gateway', 'default', 'gw')).toMatchObject({
      metadata: { resourceVersion: '9' },
      status: { conditions: [{ type: 'Accepted' }] },
    });
  });

  it('fullResync replaces stale store content, marks every kind synced and enqueues every key', async () => {
    await seed();
    await store.putObject('Gateway', gateway('ghost'));
    await store.putObject('Service', service('stale'));
    await store.clearSynced('Gateway');
    adds.length = 0;

    await watcher.fullResync();
    const names = async (kind: string) =>
      (await store.listObjects(kind)).map((o) => o.metadata.name);
    expect(await names('Gateway')).toEqual(['gw']);
    expect(await names('Service')).toEqual([]);
    expect(await names('HTTPRoute')).toEqual(['httpbin']);
    for (const kind of Object.keys(MIRRORED_KINDS)) expect(await store.isSynced(kind)).toBe(true);
    expect(adds.map((a) => a.key).sort()).toEqual(['gateway/default/gw', 'gatewayclass/portico']);
  });

  it('enqueues the owner Gateway of a data plane Service on every change, status included', async () => {
    await seed();
    const dataPlane = (resourceVersion: string, status?: unknown) => ({
      ...service('portico-gw', resourceVersion),
      metadata: {
        ...service('portico-gw', resourceVersion).metadata,
        labels: {
          'app.kubernetes.io/managed-by': 'portico',
          'app.kubernetes.io/component': 'dataplane',
        },
        ownerReferences: [
          { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', name: 'gw', uid: 'u' },
        ],
      },
      ...(status ? { status } : {}),
    });
    adds.length = 0;
    watcher.handle('Service', 'add', dataPlane('10'));
    watcher.handle(
      'Service',
      'update',
      dataPlane('11', { loadBalancer: { ingress: [{ ip: '127.0.0.2' }] } }),
    );
    watcher.handle('Service', 'delete', dataPlane('11'));
    await watcher.drain();
    expect(adds.map((a) => a.key)).toEqual([
      'gateway/default/gw',
      'gateway/default/gw',
      'gateway/default/gw',
    ]);
  });

  it('enqueues nothing for a class of another controller and its Gateways', async () => {
    watcher.handle('GatewayClass', 'add', gatewayClass('portico', 'example.com/other'));
    watcher.handle('Gateway', 'add', gateway());
    await watcher.drain();
    expect(adds).toEqual([]);
    expect(await waitingKeys()).toEqual([]);
    expect(await store.getObject('Gateway', 'default', 'gw')).toBeDefined();
  });
});
