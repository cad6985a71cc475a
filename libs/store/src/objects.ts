import { randomUUID } from 'node:crypto';
import type { Cluster, Redis as RedisNode } from 'ioredis';

/** One Redis node (single or found through Sentinel) or a Redis Cluster: the same commands. */
type Redis = RedisNode | Cluster;
import { objectField } from './keys.ts';
import type { StoreKeys } from './keys.ts';

/** The part of a Kubernetes object the store needs to file it. */
export interface StoredObject {
  metadata: { name: string; namespace?: string | undefined };
}

/** A listed object with the JSON it was parsed from. */
interface Parsed {
  json: string;
  object: unknown;
}

/** A kind as last listed: its version token (null: none stored) and its objects. */
interface Listed {
  version: string | null;
  byField: Map<string, Parsed>;
  objects: readonly unknown[];
}

/** Freezes a parsed JSON value and everything in it. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** Deep equality of two parsed JSON values, key order included. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  if (aKeys.length !== bKeys.length) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  return aKeys.every((key, i) => key === bKeys[i] && sameJson(x[key], y[key]));
}

/**
 * Parses a changed object, keeping the previous version's top-level parts (`spec`, `metadata`,
 * `status` ...) that did not change: a status write leaves the `spec` object the same, so work
 * keyed on it (the graph's per-route validation) is not redone for status echoes.
 */
function reparse(json: string, previous: unknown): unknown {
  const object: unknown = JSON.parse(json);
  if (!isRecord(object) || !isRecord(previous)) return deepFreeze(object);
  for (const [key, value] of Object.entries(object)) {
    if (sameJson(value, previous[key])) object[key] = previous[key];
  }
  return deepFreeze(object);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Mirror of the API objects the graph needs: one Redis hash per kind, JSON per object, and
 * beside them one version token per kind (`objectVersions`), replaced in the same transaction
 * as every write of that kind.
 */
export class ObjectStore {
  readonly #redis: Redis;
  readonly #keys: StoreKeys;
  /** Unique to this store instance, so tokens of different writers and processes never meet. */
  readonly #writer = randomUUID();
  #writes = 0;
  /** Per kind, the last list: reused whole while the token holds, else object by object. */
  readonly #listed = new Map<string, Listed>();

  constructor(redis: Redis, keys: StoreKeys) {
    this.#redis = redis;
    this.#keys = keys;
  }

  /** A token no earlier write of any store instance produced. */
  #nextVersion(): string {
    this.#writes += 1;
    return `${this.#writer}:${this.#writes}`;
  }

  /** Stores (creates or overwrites) one object of `kind`. */
  async putObject(kind: string, obj: StoredObject): Promise<void> {
    const field = objectField(obj.metadata.namespace, obj.metadata.name);
    await exec(
      this.#redis
        .multi()
        .hset(this.#keys.objects(kind), field, JSON.stringify(obj))
        .hset(this.#keys.objectVersions, kind, this.#nextVersion()),
    );
  }

  /** Removes one object; cluster-scoped objects pass `undefined` as namespace. */
  async deleteObject(kind: string, namespace: string | undefined, name: string): Promise<void> {
    await exec(
      this.#redis
        .multi()
        .hdel(this.#keys.objects(kind), objectField(namespace, name))
        .hset(this.#keys.objectVersions, kind, this.#nextVersion()),
    );
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
   * A reconciler lists every kind on every job. While a kind's version token is the one seen
   * at its last list, nothing of it was written since, and that list is returned again for one
   * small round trip (with 1,000 Services, EndpointSlices and routes, reading and comparing
   * them all was most of a reconcile's snapshot time). Otherwise the kind is read with its
   * token in one transaction, so a token always belongs to the objects read with it; after a
   * Redis restart the token is gone (or a new writer's), never the one cached.
   *
   * The objects are deep-frozen and shared between calls: an object whose stored JSON did not
   * change since the previous list is not parsed again. Freezing makes any mutation by a
   * caller throw instead of leaking into the next reconcile. The array is the caller's own.
   */
  async listObjects<T extends StoredObject>(kind: string): Promise<T[]> {
    const previous = this.#listed.get(kind);
    if (previous?.version != null) {
      const version = await this.#redis.hget(this.#keys.objectVersions, kind);
      if (version === previous.version) return [...previous.objects] as T[];
    }
    const { version, all } = await this.#readKind(kind);
    const byField = new Map<string, Parsed>();
    const objects = Object.keys(all)
      .sort()
      .map((field) => {
        const json = all[field] ?? 'null';
        const hit = previous?.byField.get(field);
        const parsed = hit?.json === json ? hit : { json, object: reparse(json, hit?.object) };
        byField.set(field, parsed);
        return parsed.object;
      });
    this.#listed.set(kind, { version, byField, objects });
    return [...objects] as T[];
  }

  /** A kind's objects and its version token, read atomically. */
  async #readKind(kind: string): Promise<{ version: string | null; all: Record<string, string> }> {
    const [version, all] = await exec(
      this.#redis.multi().hget(this.#keys.objectVersions, kind).hgetall(this.#keys.objects(kind)),
    );
    return {
      version: typeof version === 'string' ? version : null,
      all: (all ?? {}) as Record<string, string>,
    };
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
    tx.hset(this.#keys.objectVersions, kind, this.#nextVersion());
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

/**
 * Runs a MULTI and throws the first command error (ioredis reports them per command);
 * returns the replies in command order.
 */
export async function exec(tx: ReturnType<Redis['multi']>): Promise<unknown[]> {
  const results = await tx.exec();
  if (results === null) throw new Error('Redis transaction aborted');
  for (const [err] of results) if (err) throw err;
  return results.map(([, reply]) => reply);
}
