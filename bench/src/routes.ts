/**
 * The routes the benchmark writes: one HTTPRoute per hostname (`<name>.bench.local`, path
 * prefix `/`) to the seed example's `httpbin` Service, attached to the seed Gateway. Each
 * route is its own `server` block in NGINX, as distinct hosts are in real clusters.
 */
import {
  collectionPath,
  objectPath,
  RESOURCES,
  type KubeObject,
  type KubeRest,
} from '@portico/kube';

export const BENCH_NAMESPACE = 'default';

export function hostOf(name: string): string {
  return `${name}.bench.local`;
}

export function benchRoute(name: string): KubeObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name, namespace: BENCH_NAMESPACE, labels: { 'portico.dev/bench': 'propagation' } },
    spec: {
      parentRefs: [{ name: 'my-gateway' }],
      hostnames: [hostOf(name)],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: '/' } }],
          backendRefs: [{ name: 'httpbin', port: 80 }],
        },
      ],
    },
  };
}

export function createRoute(rest: KubeRest, name: string): Promise<unknown> {
  return rest.request('POST', collectionPath(RESOURCES.HTTPRoute, BENCH_NAMESPACE), {
    body: benchRoute(name),
  });
}

export function deleteRoute(rest: KubeRest, name: string): Promise<unknown> {
  return rest.request('DELETE', objectPath(RESOURCES.HTTPRoute, BENCH_NAMESPACE, name));
}

/** Runs `action` over `items` with at most `limit` in flight. */
export async function inParallel<T>(
  items: readonly T[],
  limit: number,
  action: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await action(item);
    }
  });
  await Promise.all(lanes);
}
