/**
 * Which watch event a client sees for a store event, given its namespace and selectors. Like
 * kube-apiserver, an object that starts matching a selector arrives as ADDED and one that stops
 * matching leaves as DELETED. Pure.
 */
import type { KindInfo } from './kinds.ts';
import { matchesFields, matchesLabels, type Requirement } from './selectors.ts';
import type { EventType, StoreEvent } from './store.ts';
import { metaString, type JsonObject } from './util.ts';

export interface WatchFilter {
  info: KindInfo;
  namespace?: string;
  labels: readonly Requirement[];
  fields: readonly Requirement[];
}

/** Whether an object is in the watch's scope (namespace, label and field selectors). */
export function inScope(filter: WatchFilter, obj: JsonObject): boolean {
  if (filter.namespace !== undefined && metaString(obj, 'namespace') !== filter.namespace)
    return false;
  return matchesLabels(filter.labels, obj) && matchesFields(filter.fields, obj);
}

/** The event type the client sees, or `undefined` when the event is outside its scope. */
export function projectEvent(filter: WatchFilter, event: StoreEvent): EventType | undefined {
  if (event.info !== filter.info) return undefined;
  const now = event.type !== 'DELETED' && inScope(filter, event.object);
  const before = event.previous !== undefined && inScope(filter, event.previous);
  if (event.type === 'DELETED') return before ? 'DELETED' : undefined;
  if (event.type === 'ADDED') return now ? 'ADDED' : undefined;
  if (now && before) return 'MODIFIED';
  if (now) return 'ADDED';
  return before ? 'DELETED' : undefined;
}
