import type { GatewayIR } from '@portico/ir';
import type { Logger } from '@portico/telemetry';
import { Redis } from 'ioredis';
import type { Cluster, RedisOptions } from 'ioredis';
import { IRStore } from './ir.ts';
import type { IRAck, RendererAck, StoredIR } from './ir.ts';
import { DEFAULT_PREFIX, storeKeys } from './keys.ts';
import type { StoreKeys } from './keys.ts';
import { ObjectStore } from './objects.ts';
import type { StoredObject } from './objects.ts';
import { subscribeIR } from './subscribe.ts';
import type { IRChange, IRSubscription } from './subscribe.ts';

/** Options of {@link createStore}. */
export interface StoreOptions {
  /**
   * A `redis://` URL, ioredis options (host, port, password, tls, or `sentinels` and `name`),
   * or a function opening a client by connection name (Redis Cluster: `openRedis` of
   * @portico/queue).
   */
  connection: string | RedisOptions | ((connectionName: string) => Redis | Cluster);
  /** Key prefix; defaults to `portico`. Use `{portico}` on Redis Cluster (see DEFAULT_PREFIX). */
  prefix?: string;
  /** Connection problems are logged here; without it they are swallowed (ioredis retries). */
  logger?: Logger;
}

/**
 * The Redis store shared by the three services: the watcher mirrors objects into it, the
 * reconciler reads them and publishes IR, renderers follow the IR and ack it.
 *
 * Redis restarts are survivable: ioredis reconnects with backoff and re-sends queued commands
 * (a call made while Redis is down waits for the reconnect, or fails after ioredis's
 * `maxRetriesPerRequest` retries so a reconcile job can retry), and IR subscribers are
 * resubscribed and told to `resync`. Redis runs without persistence in local mode: after a
 * restart the data is gone, the `synced` markers with it, and the watcher must relist.
 */
export interface Store {
  readonly prefix: string;
  readonly keys: StoreKeys;
  putObject(kind: string, obj: StoredObject): Promise<void>;
  deleteObject(kind: string, namespace: string | undefined, name: string): Promise<void>;
  getObject<T extends StoredObject>(
    kind: string,
    ns: string | undefined,
    name: string,
  ): Promise<T | undefined>;
  /** Deep-frozen objects, shared between calls while unchanged (see ObjectStore.listObjects). */
  listObjects<T extends StoredObject>(kind: string): Promise<T[]>;
  replaceAll(kind: string, objs: readonly StoredObject[], resourceVersion?: string): Promise<void>;
  markSynced(kind: string, resourceVersion?: string): Promise<void>;
  isSynced(kind: string): Promise<boolean>;
  clearSynced(kind: string): Promise<void>;
  /** `traceparent`: the publishing reconcile's trace context, stored beside the IR. */
  publishIR(
    gatewayKey: string,
    ir: GatewayIR,
    hash: string,
    traceparent?: string,
  ): Promise<boolean>;
  getIR(gatewayKey: string): Promise<StoredIR | undefined>;
  getIRHash(gatewayKey: string): Promise<string | undefined>;
  listIRKeys(): Promise<string[]>;
  deleteIR(gatewayKey: string): Promise<boolean>;
  ackIR(gatewayKey: string, rendererId: string, ack: IRAck): Promise<void>;
  getAcks(gatewayKey: string): Promise<RendererAck[]>;
  /** Follows IR changes on a connection of its own; see {@link IRChange} for `resync`. */
  subscribeIR(onChange: (change: IRChange) => void): Promise<IRSubscription>;
  /** True while the command connection is up (for /readyz). */
  isConnected(): boolean;
  /** Closes the store's connections, subscriptions included. */
  close(): Promise<void>;
}

/** Opens a store on one Redis connection (plus one per IR subscription). */
export function createStore(options: StoreOptions): Store {
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const keys = storeKeys(prefix);
  const connect = (name: string): Redis | Cluster => {
    const { connection } = options;
    const redis =
      typeof connection === 'function'
        ? connection(name)
        : typeof connection === 'string'
          ? new Redis(connection, { connectionName: name, autoResubscribe: false })
          : new Redis({ ...connection, connectionName: name, autoResubscribe: false });
    redis.on('error', (err: Error) =>
      options.logger?.warn({ err, name }, 'redis connection error'),
    );
    return redis;
  };
  const redis = connect('portico-store');
  const objects = new ObjectStore(redis, keys);
  const irs = new IRStore(redis, keys);
  const subscriptions = new Set<IRSubscription>();

  return {
    prefix,
    keys,
    putObject: (kind, obj) => objects.putObject(kind, obj),
    deleteObject: (kind, ns, name) => objects.deleteObject(kind, ns, name),
    getObject: (kind, ns, name) => objects.getObject(kind, ns, name),
    listObjects: (kind) => objects.listObjects(kind),
    replaceAll: (kind, objs, rv) => objects.replaceAll(kind, objs, rv),
    markSynced: (kind, rv) => objects.markSynced(kind, rv),
    isSynced: (kind) => objects.isSynced(kind),
    clearSynced: (kind) => objects.clearSynced(kind),
    publishIR: (key, ir, hash, traceparent) => irs.publishIR(key, ir, hash, traceparent),
    getIR: (key) => irs.getIR(key),
    getIRHash: (key) => irs.getIRHash(key),
    listIRKeys: () => irs.listIRKeys(),
    deleteIR: (key) => irs.deleteIR(key),
    ackIR: (key, renderer, ack) => irs.ackIR(key, renderer, ack),
    getAcks: (key) => irs.getAcks(key),
    subscribeIR: async (onChange) => {
      const sub = await subscribeIR(
        connect('portico-ir-sub'),
        keys.irChannel,
        onChange,
        options.logger,
      );
      const tracked: IRSubscription = {
        close: async () => {
          subscriptions.delete(tracked);
          await sub.close();
        },
      };
      subscriptions.add(tracked);
      return tracked;
    },
    isConnected: () => redis.status === 'ready',
    close: async () => {
      await Promise.all([...subscriptions].map((s) => s.close()));
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },
  };
}
