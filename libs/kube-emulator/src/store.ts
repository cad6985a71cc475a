/**
 * In-memory object store with one global resourceVersion counter and a bounded event history,
 * so watches can resume from a resourceVersion and get `410 Gone` once it has been compacted.
 * Stored objects are never mutated: every write stores a new object.
 */
import { kindKey, type KindInfo } from './kinds.ts';
import { metaOf, metaString, type JsonObject } from './util.ts';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change, as recorded in the history and fanned out to watches. */
export interface StoreEvent {
  type: EventType;
  info: KindInfo;
  object: JsonObject;
  /** The state before a MODIFIED or DELETED event, so selector watches can see transitions. */
  previous?: JsonObject;
  rv: number;
}

export type StoreListener = (event: StoreEvent) => void;

const objectKey = (namespace: string, name: string): string => `${namespace}/${name}`;

export class ObjectStore {
  readonly #objects = new Map<string, Map<string, JsonObject>>();
  readonly #history: StoreEvent[] = [];
  readonly #listeners = new Set<StoreListener>();
  readonly #historyLimit: number;
  #rv = 0;
  /** Events with a resourceVersion at or below this one are no longer kept. */
  #compacted = 0;

  constructor(historyLimit: number) {
    this.#historyLimit = Math.max(1, historyLimit);
  }

  /** The latest resourceVersion handed out. */
  get resourceVersion(): number {
    return this.#rv;
  }

  /** The oldest resourceVersion a watch can still resume from. */
  get compactedRevision(): number {
    return this.#compacted;
  }

  #bucket(info: KindInfo): Map<string, JsonObject> {
    const key = kindKey(info);
    let bucket = this.#objects.get(key);
    if (!bucket) {
      bucket = new Map();
      this.#objects.set(key, bucket);
    }
    return bucket;
  }

  get(info: KindInfo, namespace: string, name: string): JsonObject | undefined {
    return this.#bucket(info).get(objectKey(namespace, name));
  }

  /** Objects of a kind, in one namespace or all, sorted by namespace then name like etcd keys. */
  list(info: KindInfo, namespace?: string): JsonObject[] {
    const entries = [...this.#bucket(info)].filter(
      ([, o]) => namespace === undefined || metaString(o, 'namespace') === namespace,
    );
    return entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, o]) => o);
  }

  /** Stores an object under a new resourceVersion and records the event. */
  write(info: KindInfo, object: JsonObject): JsonObject {
    const namespace = metaString(object, 'namespace');
    const key = objectKey(namespace, metaString(object, 'name'));
    const previous = this.#bucket(info).get(key);
    const stored = this.#stamp(object);
    this.#bucket(info).set(key, stored);
    this.#record({
      type: previous ? 'MODIFIED' : 'ADDED',
      info,
      object: stored,
      ...(previous ? { previous } : {}),
      rv: this.#rv,
    });
    return stored;
  }

  /** Removes an object; the DELETED event carries the resourceVersion of the deletion. */
  remove(info: KindInfo, namespace: string, name: string): JsonObject | undefined {
    const key = objectKey(namespace, name);
    const previous = this.#bucket(info).get(key);
    if (!previous) return undefined;
    this.#bucket(info).delete(key);
    const object = this.#stamp(previous);
    this.#record({ type: 'DELETED', info, object, previous, rv: this.#rv });
    return object;
  }

  /** The events after `rv`, or `undefined` when some of them have been compacted away. */
  eventsAfter(rv: number): StoreEvent[] | undefined {
    if (rv < this.#compacted) return undefined;
    return this.#history.filter((e) => e.rv > rv);
  }

  subscribe(listener: StoreListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #stamp(object: JsonObject): JsonObject {
    this.#rv += 1;
    return { ...object, metadata: { ...metaOf(object), resourceVersion: String(this.#rv) } };
  }

  #record(event: StoreEvent): void {
    this.#history.push(event);
    while (this.#history.length > this.#historyLimit) {
      const dropped = this.#history.shift();
      if (dropped) this.#compacted = dropped.rv;
    }
    for (const listener of [...this.#listeners]) listener(event);
  }
}
