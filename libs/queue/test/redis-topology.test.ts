/**
 * Redis topologies: the environment parsed into a target, the hash-tag rule for prefixes, and
 * the reconcile queue run end to end through a real Redis Sentinel and a real (one-node) Redis
 * Cluster, where a prefix without a hash tag fails exactly as the rule says it would.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createMetrics } from '@portico/telemetry';
import {
  freePort,
  makeTempDir,
  removeTempDir,
  spawnManaged,
  startRedis,
  waitFor,
  type ManagedProcess,
  type RunningRedis,
} from '@portico/testing';
import {
  checkPrefix,
  createReconcileQueue,
  enqueueReconcile,
  isHashTagged,
  openRedis,
  redisTargetFromEnv,
  startReconcileWorker,
  type RedisTarget,
} from '../src/index.ts';
import { freshPrefix, silentLogger, until } from './helpers.ts';

describe('redisTargetFromEnv', () => {
  it.each<[string, Record<string, string>, RedisTarget]>([
    ['the local default', {}, { mode: 'single', url: 'redis://127.0.0.1:6379' }],
    [
      'one URL, unchanged',
      { REDIS_URL: 'rediss://u:p@redis.example:6380/2' },
      { mode: 'single', url: 'rediss://u:p@redis.example:6380/2' },
    ],
    [
      'Sentinel, credentials and TLS from REDIS_URL',
      {
        REDIS_SENTINELS: 's1:26379, [fd00::1]:26380',
        REDIS_SENTINEL_NAME: 'portico',
        REDIS_URL: 'rediss://portico:s%3Acret@ignored:6379/1',
      },
      {
        mode: 'sentinel',
        sentinels: [
          { host: 's1', port: 26379 },
          { host: 'fd00::1', port: 26380 },
        ],
        name: 'portico',
        auth: { username: 'portico', password: 's:cret', tls: true, db: 1 },
      },
    ],
    [
      'Cluster seed nodes',
      { REDIS_CLUSTER_NODES: 'n1:7000,n2:7001', REDIS_URL: 'redis://:pw@x' },
      {
        mode: 'cluster',
        nodes: [
          { host: 'n1', port: 7000 },
          { host: 'n2', port: 7001 },
        ],
        auth: { password: 'pw' },
      },
    ],
  ])('reads %s', (_title, env, expected) => {
    expect(redisTargetFromEnv(env)).toEqual(expected);
  });

  it.each([
    ['Sentinel without a group name', { REDIS_SENTINELS: 's1:26379' }, 'REDIS_SENTINEL_NAME'],
    [
      'both topologies',
      { REDIS_SENTINELS: 's:1', REDIS_SENTINEL_NAME: 'm', REDIS_CLUSTER_NODES: 'n:2' },
      'not both',
    ],
    ['a node without a port', { REDIS_CLUSTER_NODES: 'n1' }, '"n1" is not host:port'],
    ['a port out of range', { REDIS_CLUSTER_NODES: 'n1:70000' }, 'is not host:port'],
    ['an empty list', { REDIS_CLUSTER_NODES: ' , ' }, 'must list host:port'],
    ['another URL scheme', { REDIS_CLUSTER_NODES: 'n:1', REDIS_URL: 'http://x' }, 'redis://'],
  ])('refuses %s', (_title, env, message) => {
    expect(() => redisTargetFromEnv(env)).toThrow(message);
  });
});

describe('the Cluster key-prefix rule', () => {
  it.each([
    ['{portico}', true],
    ['{portico}:prod', true],
    ['prod:{portico}', true],
    ['portico', false],
    ['{}portico', false],
    ['portico}{', false],
    ['{portico', false],
  ])('%s is hash-tagged: %s', (prefix, expected) => {
    expect(isHashTagged(prefix)).toBe(expected);
  });

  it('is enforced on Cluster only', () => {
    const cluster = redisTargetFromEnv({ REDIS_CLUSTER_NODES: 'n:7000' });
    expect(() => checkPrefix(cluster, 'portico')).toThrow('has no hash tag');
    expect(() => checkPrefix(cluster, '{portico}')).not.toThrow();
    expect(() => checkPrefix(redisTargetFromEnv({}), 'portico')).not.toThrow();
  });
});

/** Enqueues three keys through `target` and resolves with the keys a worker ran. */
async function runKeys(target: RedisTarget, prefix: string): Promise<string[]> {
  const connection = openRedis(target, { maxRetriesPerRequest: null });
  const queue = createReconcileQueue({ connection, prefix });
  const ran: string[] = [];
  const worker = startReconcileWorker({
    connection,
    prefix,
    concurrency: 2,
    logger: silentLogger(),
    metrics: createMetrics('test'),
    handler: async (key) => {
      ran.push(key);
      return { kind: 'done' };
    },
  });
  try {
    await enqueueReconcile(queue, ['gateway/a/x', 'gateway/b/y', 'gateway/c/z']);
    await until(() => ran.length >= 3, 15_000);
    return [...ran].sort();
  } finally {
    await worker.close();
    await queue.close();
    connection.disconnect();
  }
}

async function sendCommand(port: number, ...args: string[]): Promise<unknown> {
  const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 1 });
  client.on('error', () => undefined); // a refused connection while polling: connect() rejects
  try {
    await client.connect();
    return await client.call(args[0] ?? 'PING', ...args.slice(1));
  } finally {
    client.disconnect();
  }
}

describe('the reconcile queue through Redis Sentinel', { timeout: 60_000 }, () => {
  let primary: RunningRedis;
  let sentinel: ManagedProcess;
  let sentinelPort: number;
  let dir: string;
  beforeAll(async () => {
    primary = await startRedis();
    dir = await makeTempDir('sentinel');
    sentinelPort = await freePort();
    const conf = join(dir, 'sentinel.conf');
    // Sentinel rewrites its configuration file: it must be its own, writable.
    await writeFile(
      conf,
      [
        `port ${sentinelPort}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor portico 127.0.0.1 ${primary.port} 1`,
        'sentinel down-after-milliseconds portico 2000',
        '',
      ].join('\n'),
    );
    sentinel = spawnManaged('redis-server', [conf, '--sentinel'], { name: 'redis-sentinel' });
    await waitFor(
      async () => {
        const reply = await sendCommand(
          sentinelPort,
          'SENTINEL',
          'get-master-addr-by-name',
          'portico',
        ).catch(() => undefined);
        return Array.isArray(reply) && reply[1] === String(primary.port) ? true : undefined;
      },
      { timeoutMs: 15_000, description: 'redis-sentinel to know the primary' },
    );
  });
  afterAll(async () => {
    await sentinel?.stop();
    await primary?.stop();
    if (dir) await removeTempDir(dir);
  });

  it('finds the primary through the sentinel and runs every key', async () => {
    const target = redisTargetFromEnv({
      REDIS_SENTINELS: `127.0.0.1:${sentinelPort}`,
      REDIS_SENTINEL_NAME: 'portico',
    });
    const prefix = freshPrefix();
    expect(await runKeys(target, prefix)).toEqual(['gateway/a/x', 'gateway/b/y', 'gateway/c/z']);
    // The queue lives on the primary the sentinel named.
    const keys = (await sendCommand(primary.port, 'KEYS', `${prefix}:*`)) as string[];
    expect(keys.length).toBeGreaterThan(0);
  });

  it('does not connect through a sentinel that watches another group', async () => {
    const client = openRedis(
      redisTargetFromEnv({
        REDIS_SENTINELS: `127.0.0.1:${sentinelPort}`,
        REDIS_SENTINEL_NAME: 'nobody',
      }),
      { maxRetriesPerRequest: 1, sentinelRetryStrategy: () => null },
    );
    client.on('error', () => undefined);
    await expect(client.ping()).rejects.toThrow();
    client.disconnect();
  });
});

describe('the reconcile queue on Redis Cluster', { timeout: 60_000 }, () => {
  let node: ManagedProcess;
  let port: number;
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir('redis-cluster');
    port = await freePort();
    node = spawnManaged(
      'redis-server',
      [
        ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir],
        ...['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, 'nodes.conf')],
        // Without it a lone node announces an empty address in CLUSTER SLOTS.
        ...['--cluster-announce-ip', '127.0.0.1'],
        ...['--save', '', '--appendonly', 'no'],
      ],
      { name: 'redis-cluster-node', cwd: dir },
    );
    // One node that owns every slot: a real cluster as far as slots go (CROSSSLOT included).
    await waitFor(
      async () => ((await sendCommand(port, 'PING').catch(() => '')) === 'PONG' ? true : undefined),
      {
        timeoutMs: 10_000,
        description: 'cluster node to answer',
      },
    );
    await sendCommand(port, 'CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
    await waitFor(
      async () =>
        String(await sendCommand(port, 'CLUSTER', 'INFO')).includes('cluster_state:ok')
          ? true
          : undefined,
      { timeoutMs: 15_000, description: 'cluster_state:ok' },
    );
  });
  afterAll(async () => {
    await node?.stop();
    if (dir) await removeTempDir(dir);
  });

  const target = () => redisTargetFromEnv({ REDIS_CLUSTER_NODES: `127.0.0.1:${port}` });

  it('runs every key with a hash-tagged prefix', async () => {
    const prefix = `{${freshPrefix()}}`;
    checkPrefix(target(), prefix);
    expect(await runKeys(target(), prefix)).toEqual(['gateway/a/x', 'gateway/b/y', 'gateway/c/z']);
  });

  it('fails with CROSSSLOT without one, which is why checkPrefix refuses it', async () => {
    const prefix = freshPrefix();
    expect(() => checkPrefix(target(), prefix)).toThrow('has no hash tag');
    const connection = openRedis(target(), { maxRetriesPerRequest: null });
    const queue = createReconcileQueue({ connection, prefix });
    try {
      await expect(enqueueReconcile(queue, ['gateway/a/x'])).rejects.toThrow(/CROSSSLOT|slot/i);
    } finally {
      await queue.close();
      connection.disconnect();
    }
  });
});
