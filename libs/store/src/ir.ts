import type { GatewayIR } from '@portico/ir';
import type { Cluster, Redis as RedisNode } from 'ioredis';

/** One Redis node (single or found through Sentinel) or a Redis Cluster: the same commands. */
type Redis = RedisNode | Cluster;
import type { StoreKeys } from './keys.ts';

/**
 * An IR as stored: the content hash beside the IR it was computed from, and the W3C trace
 * context of the reconcile that published it (metadata: not part of the hash), which the
 * renderer's apply span links to.
 */
export interface StoredIR {
  hash: string;
  ir: GatewayIR;
  traceparent?: string;
}

/** A renderer's report about one IR version of one Gateway. */
export interface IRAck {
  /** The IR hash the renderer tried to apply. */
  hash: string;
  /** True when NGINX accepted, reloaded and serves it. */
  ok: boolean;
  /** The `nginx -t` or reload error when `ok` is false. */
  error?: string;
}

/** An ack with the renderer that sent it, as listed by `getAcks`. */
export interface RendererAck extends IRAck {
  rendererId: string;
}

/** Message on the IR channel; a deletion carries no hash. */
export interface IRMessage {
  gatewayKey: string;
  hash: string | null;
}

// Compare-and-set of the hash, write and notify in one step, so two reconcilers racing on one
// Gateway cannot publish out of order, and an unchanged IR costs no message (invariant 5).
const PUBLISH_IR = `
if redis.call('HGET', KEYS[2], ARGV[1]) == ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1`;

const DELETE_IR = `
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('DEL', KEYS[3])
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1`;

/** The data-plane side of the store: per-Gateway IR, change notifications and acks. */
export class IRStore {
  readonly #redis: Redis;
  readonly #keys: StoreKeys;

  constructor(redis: Redis, keys: StoreKeys) {
    this.#redis = redis;
    this.#keys = keys;
  }

  /**
   * Stores the IR of a Gateway and notifies renderers, only if `hash` differs from the stored
   * one. Returns whether anything changed.
   */
  async publishIR(
    gatewayKey: string,
    ir: GatewayIR,
    hash: string,
    traceparent?: string,
  ): Promise<boolean> {
    // Most reconciles publish what is already there (an ack, a status-only change): a look at
    // the stored hash spares serialising and sending the whole IR (a megabyte with 1,000
    // routes). The script below still compares and sets atomically.
    if ((await this.#redis.hget(this.#keys.irHashes, gatewayKey)) === hash) return false;
    const stored: StoredIR = traceparent ? { hash, ir, traceparent } : { hash, ir };
    const message: IRMessage = { gatewayKey, hash };
    const keys = [this.#keys.irs, this.#keys.irHashes];
    const args = [gatewayKey, hash, JSON.stringify(stored), this.#keys.irChannel];
    const changed = await this.#redis.eval(
      PUBLISH_IR,
      2,
      ...keys,
      ...args,
      JSON.stringify(message),
    );
    return changed === 1;
  }

  /** The stored IR of a Gateway, or undefined when it has none. */
  async getIR(gatewayKey: string): Promise<StoredIR | undefined> {
    const json = await this.#redis.hget(this.#keys.irs, gatewayKey);
    return json === null ? undefined : (JSON.parse(json) as StoredIR);
  }

  /** The IR hash of a Gateway without its body (renderers compare it with what they run). */
  async getIRHash(gatewayKey: string): Promise<string | undefined> {
    return (await this.#redis.hget(this.#keys.irHashes, gatewayKey)) ?? undefined;
  }

  /** Gateway keys that have an IR, sorted; renderers resync from this list. */
  async listIRKeys(): Promise<string[]> {
    return (await this.#redis.hkeys(this.#keys.irHashes)).sort();
  }

  /** Removes a Gateway's IR and acks and notifies renderers; false when there was none. */
  async deleteIR(gatewayKey: string): Promise<boolean> {
    const message: IRMessage = { gatewayKey, hash: null };
    const keys = [this.#keys.irs, this.#keys.irHashes, this.#keys.acks(gatewayKey)];
    const args = [gatewayKey, this.#keys.irChannel, JSON.stringify(message)];
    return (await this.#redis.eval(DELETE_IR, 3, ...keys, ...args)) === 1;
  }

  /** Records what one renderer did with one IR version; the last ack per renderer wins. */
  async ackIR(gatewayKey: string, rendererId: string, ack: IRAck): Promise<void> {
    const value: IRAck = { hash: ack.hash, ok: ack.ok, ...(ack.error ? { error: ack.error } : {}) };
    await this.#redis.hset(this.#keys.acks(gatewayKey), rendererId, JSON.stringify(value));
  }

  /** Every renderer's last ack for a Gateway, sorted by renderer id. */
  async getAcks(gatewayKey: string): Promise<RendererAck[]> {
    const all = await this.#redis.hgetall(this.#keys.acks(gatewayKey));
    return Object.keys(all)
      .sort()
      .map((rendererId) => ({ rendererId, ...(JSON.parse(all[rendererId] ?? '{}') as IRAck) }));
  }
}
