/**
 * Default key prefix. For Redis Cluster use the hash-tag form `{portico}`: every key then hashes
 * to one slot, which the atomic multi-key operations here (replaceAll, publishIR) require.
 */
export const DEFAULT_PREFIX = 'portico';

/** The Redis keys and channel of one store, all derived from its prefix. */
export interface StoreKeys {
  /** Hash per kind: field `<ns>/<name>` (or `<name>` when cluster-scoped), value JSON. */
  objects(kind: string): string;
  /**
   * Hash: field kind, value a token that every write of that kind's hash replaces in the same
   * transaction. Readers that saw a token have seen the objects of that version.
   */
  readonly objectVersions: string;
  /** Hash: field kind, value the resourceVersion of the list that filled it. */
  readonly synced: string;
  /** Hash: field gateway key, value JSON `{hash, ir}`. */
  readonly irs: string;
  /** Hash: field gateway key, value the IR hash (cheap comparison in publishIR). */
  readonly irHashes: string;
  /** Hash per gateway key: field renderer id, value JSON ack. */
  acks(gatewayKey: string): string;
  /** Pub/sub channel of IR changes. */
  readonly irChannel: string;
}

/** Derives every key of a store from its prefix. */
export function storeKeys(prefix: string): StoreKeys {
  return {
    objects: (kind) => `${prefix}:obj:${kind}`,
    objectVersions: `${prefix}:objver`,
    synced: `${prefix}:synced`,
    irs: `${prefix}:ir`,
    irHashes: `${prefix}:irhash`,
    acks: (gatewayKey) => `${prefix}:ack:${gatewayKey}`,
    irChannel: `${prefix}:ir-changes`,
  };
}

/** Field of an object in its kind's hash: `<ns>/<name>`, or `<name>` when cluster-scoped. */
export function objectField(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}
