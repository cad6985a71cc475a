// The KEDA ScaledObject must read the list BullMQ really fills: checked against a real Redis by
// enqueueing reconcile keys with the queue library and the install's own key prefix.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReconcileQueue, enqueueReconcile, QUEUE_NAME } from '@portico/queue';
import { runToCompletion, startRedis, type RunningRedis } from '@portico/testing';
import {
  installableKustomizations,
  renderKustomization,
  type KubeDoc,
} from './support/manifests.ts';

interface ScaledObjectSpec {
  scaleTargetRef: { name: string };
  triggers: Array<{
    type: string;
    metadata: Record<string, string>;
    authenticationRef?: { name: string };
  }>;
}

const rendered = await Promise.all(
  installableKustomizations().map(async (dir) => ({ dir, docs: await renderKustomization(dir) })),
);
const withKeda = rendered.filter(({ docs }) => docs.some((d) => d.kind === 'ScaledObject'));

function redisPrefix(docs: readonly KubeDoc[]): string {
  const config = docs.find(
    (d) => d.kind === 'ConfigMap' && d.metadata.name.startsWith('portico-config'),
  );
  const prefix = (config?.data as Record<string, string> | undefined)?.PORTICO_REDIS_PREFIX;
  if (!prefix) throw new Error('no PORTICO_REDIS_PREFIX in the portico-config ConfigMap');
  return prefix;
}

it('production-keda is the install that scales the reconciler with KEDA', () => {
  expect(withKeda.map(({ dir }) => dir)).toEqual(['overlays/production-keda']);
});

describe.each(withKeda)('deploy/$dir', ({ docs }) => {
  const scaledObject = docs.find((d) => d.kind === 'ScaledObject');
  const spec = scaledObject?.spec as ScaledObjectSpec;
  const trigger = spec.triggers.find((t) => t.type === 'redis' || t.type === 'redis-cluster');
  let redis: RunningRedis;

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis.stop();
  });

  it('scales the reconciler, and nothing else scales it', () => {
    expect(spec.scaleTargetRef.name).toBe('portico-reconciler');
    expect(docs.filter((d) => d.kind === 'HorizontalPodAutoscaler')).toEqual([]);
  });

  it("authenticates with the Secret the services' Redis URL comes from", () => {
    const auth = docs.find(
      (d) =>
        d.kind === 'TriggerAuthentication' && d.metadata.name === trigger?.authenticationRef?.name,
    );
    const refs = (auth?.spec as { secretTargetRef: Array<{ name: string }> }).secretTargetRef;
    expect(refs.map((r) => r.name)).toEqual(['portico-redis']);
  });

  it('reads the wait list that BullMQ fills under the install’s key prefix', async () => {
    const prefix = redisPrefix(docs);
    const listName = trigger?.metadata.listName ?? '';
    const queue = createReconcileQueue({
      connection: { host: '127.0.0.1', port: redis.port },
      prefix,
    });
    try {
      const keys = ['gateway/a/one', 'gateway/a/two', 'gateway/b/three'];
      await enqueueReconcile(queue, keys);
      const llen = await runToCompletion(
        'redis-cli',
        ['-p', String(redis.port), 'LLEN', listName],
        {
          name: 'redis-cli LLEN',
        },
      );
      expect(Number(llen.output.trim()), `LLEN ${listName}`).toBe(keys.length);
      expect(listName).toBe(`${prefix}:${QUEUE_NAME}:wait`);
    } finally {
      await queue.close();
    }
  });
});
