import type { Cluster, Redis as RedisNode } from 'ioredis';

/** One Redis node (single or found through Sentinel) or a Redis Cluster: the same commands. */
type Redis = RedisNode | Cluster;
import { objectField } from './keys.ts';
import type { StoreKeys } from './keys.ts';

/** The part of a Kubernetes object the store needs to file it. */
export interface StoredObject {
  metadata: { name: string; namespace?: string | undefined };
}

/** Mirror of the API objects the graph needs: one Redis hash per kind, JSON per object. */
/** A listed object with the JSON it was parsed from. */
interface Parsed {
  json: string;
  object: unknown;
}

/** Freezes a parsed JSON value and everything in it. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

export class ObjectStore {
  readonly #redis: Redis;
  readonly #keys: StoreKeys;
  /** Per kind, the objects of the last list by field, to reuse the unchanged ones. */
  readonly #parsed = new Map<string, Map<string, Parsed>>();

  constructor(redis: Redis, keys: StoreKeys) {
    this.#redis = redis;
    this.#keys = keys;
  }

  /** Stores (creates or overwrites) one object of `kind`. */
  async putObject(kind: string, obj: StoredObject): Promise<void> {
    const field = objectField(obj.metadata.namespace, obj.metadata.name);
    await this.#redis.hset(this.#keys.objects(kind), field, JSON.stringify(obj));
  }

  /** Removes one object; cluster-scoped objects pass `undefined` as namespace. */
  async deleteObject(kind: string, namespace: string | undefined, name: string): Promise<void> {
    await this.#redis.hdel(this.#keys.objects(kind), objectField(namespace, name));
  }

  /** One object, or undefined when the store has none by that name. */
  async getObject<T extends StoredObject>(
    kind: string,
    namespace: string | undefined,
    name: string,
  ): Promise<T | undefined> {
    const json = await this.#redis.hget(this.#keys.objects(kind), objectField(namespace, name));
    return json === null ? undefined : (JSON.parse(json) as T);
  }

  /**
   * Every object of `kind`, sorted by `<ns>/<name>` so callers see a deterministic order.
   *
   * The objects are deep-frozen and shared between calls: an object whose stored JSON did not
   * change since the previous list is not parsed again. A reconciler lists every kind on every
   * job; with 1,000 routes, parsing them again (and collecting the garbage) was a large part
   * of a reconcile, for objects that had almost all stayed the same. Freezing makes any
   * mutation by a caller throw instead of leaking into the next reconcile.
   */
  async listObjects<T extends StoredObject>(kind: string): Promise<T[]> {
    const all = await this.#redis.hgetall(this.#keys.objects(kind));
    const previous = this.#parsed.get(kind);
    const current = new Map<string, Parsed>();
    const objects = Object.keys(all)
      .sort()
      .map((field) => {
        const json = all[field] ?? 'null';
        const hit = previous?.get(field);
        const parsed = hit?.json === json ? hit : { json, object: deepFreeze(JSON.parse(json)) };
        current.set(field, parsed);
        return parsed.object as T;
      });
    this.#parsed.set(kind, current);
    return objects;
  }

  /**
   * Replaces every object of `kind` in one transaction and marks the kind synced: the result of
   * a full list (at watcher start, or a relist after `410 Gone`). Objects deleted while the
   * watch was down disappear; readers never see a half-written kind.
   */
  async replaceAll(
    kind: string,
    objs: readonly StoredObject[],
    resourceVersion = '',
  ): Promise<void> {
    const key = this.#keys.objects(kind);
    const tx = this.#redis.multi().del(key);
    const fields = objs.flatMap((o) => [
      objectField(o.metadata.namespace, o.metadata.name),
      JSON.stringify(o),
    ]);
    if (fields.length > 0) tx.hset(key, ...fields);
    tx.hset(this.#keys.synced, kind, resourceVersion);
    await exec(tx);
  }

  /**
   * Records that `kind` was filled from a complete list. The marker lives in Redis, not in the
   * watcher's memory: when Redis loses its data the marker goes too, and readiness can see it.
   */
  async markSynced(kind: string, resourceVersion = ''): Promise<void> {
    await this.#redis.hset(this.#keys.synced, kind, resourceVersion);
  }

  /** Whether `kind` has been filled from a complete list since Redis last lost its data. */
  async isSynced(kind: string): Promise<boolean> {
    return (await this.#redis.hexists(this.#keys.synced, kind)) === 1;
  }

  /** Forgets that `kind` was synced (a watcher giving up its lease, tests). */
  async clearSynced(kind: string): Promise<void> {
    await this.#redis.hdel(this.#keys.synced, kind);
  }
}

/** Runs a MULTI and throws the first command error (ioredis reports them per command). */
export async function exec(tx: ReturnType<Redis['multi']>): Promise<void> {
  const results = await tx.exec();
  if (results === null) throw new Error('Redis transaction aborted');
  for (const [err] of results) if (err) throw err;
}
