/**
 * Reconcile keys and object keys. A reconcile job carries a key, never object contents
 * (invariant 1); these are the only places that spell them.
 */
import type { ObjectMeta } from './resources.ts';

/** The group of Gateway API kinds; the default of parentRef `group`. */
export const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/** `gatewayclass/<name>`: the reconcile key of a GatewayClass. */
export function gatewayClassKey(name: string): string {
  return `gatewayclass/${name}`;
}

/** `gateway/<ns>/<name>`: the reconcile key of a Gateway. */
export function gatewayKey(namespace: string, name: string): string {
  return `gateway/${namespace}/${name}`;
}

/** `<ns>/<name>` of a namespaced object: how the graph keys routes, Services, Secrets. */
export function nsName(meta: ObjectMeta): string {
  return `${namespaceOf(meta)}/${meta.name}`;
}

/** The namespace of a namespaced object; the store always fills it, `default` otherwise. */
export function namespaceOf(meta: ObjectMeta): string {
  return meta.namespace ?? 'default';
}

/** Parses `gateway/<ns>/<name>`; undefined for any other key. */
export function parseGatewayKey(key: string): { namespace: string; name: string } | undefined {
  const parts = key.split('/');
  if (parts.length !== 3 || parts[0] !== 'gateway') return undefined;
  const [, namespace, name] = parts;
  return namespace && name ? { namespace, name } : undefined;
}

/** Orders strings by UTF-16 code units, independent of locale, for deterministic output. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
