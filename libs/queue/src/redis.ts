/**
 * Where Redis is, from the environment, and the ioredis client for it. Three topologies:
 *
 * - one endpoint (default): `REDIS_URL` (`redis://` or `rediss://`, credentials and db in it);
 * - Sentinel: `REDIS_SENTINELS=host:port,host:port` and `REDIS_SENTINEL_NAME=<master group>`;
 *   ioredis asks the sentinels for the current primary and follows failovers;
 * - Cluster: `REDIS_CLUSTER_NODES=host:port,...` (some seed nodes; the rest is discovered).
 *
 * In the last two, `REDIS_URL` still carries the username, password and TLS (`rediss://`) of
 * the data nodes (its host is not used), so the one Secret holding it stays the only secret.
 * On Cluster every key of a store or queue must share one hash slot: the prefix must be a
 * hash tag (`{portico}`), checked by {@link checkPrefix} before anything connects.
 */
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';

export interface HostPort {
  host: string;
  port: number;
}

/** Credentials and TLS of the data nodes, from `REDIS_URL`. */
export interface RedisAuth {
  username?: string;
  password?: string;
  tls?: true;
  db?: number;
}

export type RedisTarget =
  | { mode: 'single'; url: string }
  | { mode: 'sentinel'; sentinels: HostPort[]; name: string; auth: RedisAuth }
  | { mode: 'cluster'; nodes: HostPort[]; auth: RedisAuth };

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** `host:port,host:port` (IPv6 as `[::1]:26379`); `name` says which variable was wrong. */
export function parseHostPorts(raw: string, name: string): HostPort[] {
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new Error(`${name} must list host:port entries, got "${raw}"`);
  return entries.map((entry) => {
    const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(entry);
    const port = Number(m?.[3]);
    const host = m?.[1] ?? m?.[2];
    if (host === undefined || !Number.isInteger(port) || port < 1 || port > 65_535)
      throw new Error(`${name}: "${entry}" is not host:port`);
    return { host, port };
  });
}

/** Username, password, TLS and db of a `redis://` or `rediss://` URL. */
export function authFromUrl(raw: string): RedisAuth {
  const url = new URL(raw);
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    throw new Error(`REDIS_URL must be redis:// or rediss://, got "${url.protocol}"`);
  const db = url.pathname.replace(/^\//, '');
  return {
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(url.protocol === 'rediss:' ? { tls: true as const } : {}),
    ...(db !== '' ? { db: Number(db) } : {}),
  };
}

/** The Redis topology the environment names; a single `REDIS_URL` unless told otherwise. */
export function redisTargetFromEnv(env: Readonly<Record<string, string | undefined>>): RedisTarget {
  const url = env.REDIS_URL || DEFAULT_REDIS_URL;
  const sentinels = env.REDIS_SENTINELS?.trim();
  const cluster = env.REDIS_CLUSTER_NODES?.trim();
  if (sentinels && cluster) throw new Error('set REDIS_SENTINELS or REDIS_CLUSTER_NODES, not both');
  if (cluster)
    return {
      mode: 'cluster',
      nodes: parseHostPorts(cluster, 'REDIS_CLUSTER_NODES'),
      auth: authFromUrl(url),
    };
  if (sentinels) {
    const name = env.REDIS_SENTINEL_NAME?.trim();
    if (!name) throw new Error('REDIS_SENTINELS needs REDIS_SENTINEL_NAME (the master group name)');
    return {
      mode: 'sentinel',
      sentinels: parseHostPorts(sentinels, 'REDIS_SENTINELS'),
      name,
      auth: authFromUrl(url),
    };
  }
  return { mode: 'single', url };
}

/**
 * Whether every key starting with `prefix` hashes to one Redis Cluster slot: the prefix holds
 * a hash tag, a non-empty `{...}` (Redis hashes only what is between the first `{` and the
 * first `}` after it, when that is not empty).
 */
export function isHashTagged(prefix: string): boolean {
  const open = prefix.indexOf('{');
  if (open < 0) return false;
  const close = prefix.indexOf('}', open + 1);
  return close > open + 1;
}

/** Refuses a prefix whose keys would spread over Cluster slots (BullMQ's scripts would fail). */
export function checkPrefix(target: RedisTarget, prefix: string): void {
  if (target.mode === 'cluster' && !isHashTagged(prefix))
    throw new Error(
      `PORTICO_REDIS_PREFIX "${prefix}" has no hash tag: on Redis Cluster use one such as {portico}, so that every key of a queue and of the store lands in one slot`,
    );
}

function authOptions(auth: RedisAuth): RedisOptions {
  return {
    ...(auth.username !== undefined ? { username: auth.username } : {}),
    ...(auth.password !== undefined ? { password: auth.password } : {}),
    ...(auth.tls ? { tls: {} } : {}),
    ...(auth.db !== undefined ? { db: auth.db } : {}),
  };
}

/**
 * ioredis options for a single node or Sentinel (what `new Redis(options)` and the store
 * take); undefined for Cluster, which needs {@link openRedis}.
 */
export function redisOptions(
  target: RedisTarget,
  extra: RedisOptions = {},
): RedisOptions | undefined {
  switch (target.mode) {
    case 'single':
      return undefined;
    case 'sentinel':
      return {
        ...authOptions(target.auth),
        sentinels: target.sentinels,
        name: target.name,
        ...extra,
      };
    case 'cluster':
      return undefined;
  }
}

/** A connected client for the target (`extra`: e.g. BullMQ's `maxRetriesPerRequest: null`). */
export function openRedis(target: RedisTarget, extra: RedisOptions = {}): Redis | Cluster {
  switch (target.mode) {
    case 'single':
      return new Redis(target.url, extra);
    case 'sentinel':
      return new Redis(redisOptions(target, extra) ?? {});
    case 'cluster': {
      const options: ClusterOptions = {
        redisOptions: { ...authOptions(target.auth), ...extra },
        ...(target.auth.tls ? { dnsLookup: (address, callback) => callback(null, address) } : {}),
      };
      return new Cluster(target.nodes, options);
    }
  }
}

/**
 * What `createStore` (@portico/store) takes as its connection for this target: the URL, the
 * Sentinel options, or a function opening a Cluster client per connection name.
 */
export function storeConnection(
  target: RedisTarget,
): string | RedisOptions | ((connectionName: string) => Redis | Cluster) {
  switch (target.mode) {
    case 'single':
      return target.url;
    case 'sentinel':
      return redisOptions(target) ?? {};
    case 'cluster':
      return (connectionName) => openRedis(target, { connectionName });
  }
}
