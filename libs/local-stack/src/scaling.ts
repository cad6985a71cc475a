/**
 * The scaling scenario (issue 6): a burst of changes over many Gateways on the local stack with
 * N reconciler processes, and the proof that it converged correctly: every Gateway's IR in Redis
 * holds its route's last path (and not the one before), and every route and Gateway status
 * observed the current generation. Data planes are not run (200 NGINX would measure NGINX);
 * Programmed stays Pending, as it must without one. Shared by the scaling test and
 * `npm run bench -- scaling`.
 */
import {
  collectionPath,
  objectPath,
  RESOURCES,
  type KubeList,
  type KubeObject,
  type KubeRest,
} from '@portico/kube';
import { createStore, type Store } from '@portico/store';
import { waitFor } from '@portico/testing';
import { writeEndpointSlice } from './endpoints.ts';
import { startLocalStack, type LocalStack } from './stack.ts';

export interface ScalingOptions {
  stateDir: string;
  /** Reconciler processes. */
  workers: number;
  gateways: number;
  /** Changes per Gateway's route; the burst has `gateways * changesPerGateway` changes. */
  changesPerGateway: number;
  /** API writes in flight at once while the burst is sent. */
  inFlight?: number;
  timeoutMs?: number;
}

export interface ScalingResult {
  workers: number;
  gateways: number;
  changes: number;
  /** Time to send the burst (every write answered by the API server). */
  sendMs: number;
  /** From the first write of the burst to everything converged. */
  convergeMs: number;
}

const NS = 'scale';
const routeName = (i: number) => `r${i}`;
const gatewayName = (i: number) => `g${i}`;

async function forEachInFlight<T>(
  items: readonly T[],
  limit: number,
  act: (item: T) => Promise<unknown>,
) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await act(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

function route(i: number, version: number): KubeObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: routeName(i), namespace: NS },
    spec: {
      parentRefs: [{ name: gatewayName(i) }],
      hostnames: [`r${i}.scale.local`],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: `/v${version}` } }],
          backendRefs: [{ name: 'echo', port: 80 }],
        },
      ],
    },
  };
}

async function create(
  rest: KubeRest,
  type: (typeof RESOURCES)[keyof typeof RESOURCES],
  body: KubeObject,
) {
  await rest.request('POST', collectionPath(type, body.metadata.namespace), { body });
}

async function setUp(stack: LocalStack, gateways: number, inFlight: number): Promise<void> {
  const { rest } = stack;
  await create(rest, RESOURCES.GatewayClass, {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'GatewayClass',
    metadata: { name: 'portico' },
    spec: { controllerName: 'portico.dev/gateway-controller' },
  });
  await create(rest, RESOURCES.Namespace, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: NS },
  });
  await create(rest, RESOURCES.Service, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'echo', namespace: NS },
    spec: { ports: [{ name: 'http', port: 80 }] },
  });
  await writeEndpointSlice(rest, {
    namespace: NS,
    service: 'echo',
    portName: 'http',
    endpoints: [{ address: '127.0.0.1', port: 9 }],
  });
  const indexes = Array.from({ length: gateways }, (_, i) => i);
  await forEachInFlight(indexes, inFlight, async (i) => {
    await create(rest, RESOURCES.Gateway, {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: gatewayName(i), namespace: NS },
      spec: {
        gatewayClassName: 'portico',
        listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }],
      },
    });
    await create(rest, RESOURCES.HTTPRoute, route(i, 0));
  });
}

type Conditions = Array<{ type: string; status: string; observedGeneration?: number }>;

function current(object: KubeObject, conditions: Conditions | undefined, type: string): boolean {
  const c = conditions?.find((x) => x.type === type);
  return c?.status === 'True' && c.observedGeneration === object.metadata.generation;
}

/** What is not yet converged at `version`, as short lines (empty when converged). */
async function lagging(stack: LocalStack, store: Store, gateways: number, version: number) {
  const problems: string[] = [];
  const routes = await stack.rest.request<KubeList<KubeObject>>(
    'GET',
    collectionPath(RESOURCES.HTTPRoute, NS),
  );
  for (const r of routes.items) {
    const parents = (r.status as { parents?: Array<{ conditions?: Conditions }> } | undefined)
      ?.parents;
    if (!current(r, parents?.[0]?.conditions, 'Accepted'))
      problems.push(`route ${r.metadata.name} status`);
  }
  const gws = await stack.rest.request<KubeList<KubeObject>>(
    'GET',
    collectionPath(RESOURCES.Gateway, NS),
  );
  for (const g of gws.items) {
    const status = g.status as {
      conditions?: Conditions;
      listeners?: Array<{ attachedRoutes: number }>;
    };
    if (!current(g, status?.conditions, 'Accepted') || status.listeners?.[0]?.attachedRoutes !== 1)
      problems.push(`gateway ${g.metadata.name} status`);
  }
  await forEachInFlight(
    Array.from({ length: gateways }, (_, i) => i),
    16,
    async (i) => {
      const ir = JSON.stringify((await store.getIR(`gateway/${NS}/${gatewayName(i)}`))?.ir ?? null);
      if (!ir.includes(`"/v${version}"`) || (version > 0 && ir.includes(`"/v${version - 1}"`)))
        problems.push(`gateway ${gatewayName(i)} IR`);
    },
  );
  return problems;
}

async function converge(
  stack: LocalStack,
  store: Store,
  gateways: number,
  version: number,
  timeoutMs: number,
) {
  await waitFor(() => lagging(stack, store, gateways, version), {
    description: `all ${gateways} Gateways converged at /v${version}`,
    until: (problems) => problems.length === 0,
    timeoutMs,
    intervalMs: 250,
  });
}

export async function runScalingScenario(options: ScalingOptions): Promise<ScalingResult> {
  const inFlight = options.inFlight ?? 16;
  const timeoutMs = options.timeoutMs ?? 300_000;
  const stack = await startLocalStack({
    stateDir: options.stateDir,
    reconcilers: options.workers,
    seed: false,
    runDataPlanes: false,
    serviceEnv: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
  });
  const store = createStore({ connection: stack.redisUrl, prefix: 'portico' });
  try {
    await setUp(stack, options.gateways, inFlight);
    await converge(stack, store, options.gateways, 0, timeoutMs);
    const started = performance.now();
    for (let version = 1; version <= options.changesPerGateway; version++) {
      // One wave per version: every route changes once, in parallel; waves keep each route's
      // own changes in order.
      const indexes = Array.from({ length: options.gateways }, (_, i) => i);
      await forEachInFlight(indexes, inFlight, (i) =>
        stack.rest.request('PATCH', objectPath(RESOURCES.HTTPRoute, NS, routeName(i)), {
          body: { spec: route(i, version).spec },
          contentType: 'application/merge-patch+json',
        }),
      );
    }
    const sendMs = performance.now() - started;
    await converge(stack, store, options.gateways, options.changesPerGateway, timeoutMs);
    return {
      workers: options.workers,
      gateways: options.gateways,
      changes: options.gateways * options.changesPerGateway,
      sendMs: Math.round(sendMs),
      convergeMs: Math.round(performance.now() - started),
    };
  } finally {
    await store.close();
    await stack.stop();
  }
}
