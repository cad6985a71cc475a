/**
 * Builders of the provisioning tests: a World whose reconciles provision data planes, a
 * reconcile of the seed that must finish, and the edits a user makes to the seed Gateway
 * (merge patches, GatewayParameters and references to them).
 */
import { expect } from 'vitest';
import { collectionPath, isNotFound, objectPath, RESOURCES } from '@portico/kube';
import { reconcile } from '../src/reconcile.ts';
import { GATEWAY_KEY, startWorld, type Json, type World } from './helpers.ts';

/** What the reconciler would be configured with in a cluster; values the tests look for. */
export const PROVISIONING_ENVIRONMENT = {
  image: 'portico-dataplane:test',
  redisUrl: 'redis://redis.portico-system:6379',
  redisPrefix: 'portico',
  portOffset: 8000,
  logLevel: 'info',
};

/** A World whose reconciles provision data planes through its API server. */
export async function startProvisioningWorld(redisUrl: string, now: () => Date): Promise<World> {
  const world = await startWorld(redisUrl, now);
  world.deps.provisioning = { rest: world.rest, environment: PROVISIONING_ENVIRONMENT };
  return world;
}

/**
 * Mirrors the API into the store (then runs `beforeReconcile`, e.g. to store what the watcher
 * would), reconciles `key`, and expects it done: a provisioning error must not pass unseen.
 */
export async function reconcileDone(
  world: World,
  key = GATEWAY_KEY,
  beforeReconcile: () => Promise<void> = async () => {},
): Promise<void> {
  await world.mirror();
  await beforeReconcile();
  expect(await reconcile(key, world.context, world.deps)).toEqual({ kind: 'done' });
}

/** Whether a read finds its object: false on 404, any other error thrown. */
export function found(read: Promise<unknown>): Promise<boolean> {
  return read.then(
    () => true,
    (error: unknown) => {
      if (isNotFound(error)) return false;
      throw error;
    },
  );
}

/** Merge-patches the seed Gateway default/my-gateway, as `kubectl patch --type merge` would. */
export async function patchGateway(world: World, patch: Json): Promise<void> {
  await world.rest.request('PATCH', objectPath(RESOURCES.Gateway, 'default', 'my-gateway'), {
    body: patch,
    contentType: 'application/merge-patch+json',
  });
}

/** Creates GatewayParameters `name` in the default namespace. */
export async function createGatewayParameters(
  world: World,
  name: string,
  spec: Json,
): Promise<void> {
  await world.rest.request('POST', collectionPath(RESOURCES.GatewayParameters, 'default'), {
    body: {
      apiVersion: 'portico.dev/v1alpha1',
      kind: 'GatewayParameters',
      metadata: { name },
      spec,
    },
  });
}

/** A parametersRef to our GatewayParameters (a GatewayClass's names the namespace). */
export function parametersRef(name: string, namespace?: string): Json {
  return {
    group: 'portico.dev',
    kind: 'GatewayParameters',
    name,
    ...(namespace === undefined ? {} : { namespace }),
  };
}

/** A certificate Secret as the watcher stores it: a summary of a usable one, never its data. */
export async function storeCertificateSummary(
  world: World,
  namespace: string,
  name: string,
): Promise<void> {
  const summary = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { namespace, name },
    type: 'kubernetes.io/tls',
    hasCertificate: true,
    hasKey: true,
    contentHash: `${namespace}-${name}`,
  };
  await world.store.putObject('Secret', summary);
}

/** The seed Gateway with its HTTP listener and an HTTPS one on 443 using these certificates. */
export async function useCertificates(
  world: World,
  refs: Array<{ name: string; namespace?: string }>,
): Promise<void> {
  await patchGateway(world, {
    spec: {
      listeners: [
        { name: 'http', protocol: 'HTTP', port: 80 },
        {
          name: 'https',
          protocol: 'HTTPS',
          port: 443,
          tls: {
            mode: 'Terminate',
            certificateRefs: refs.map((r) => ({ kind: 'Secret', ...r })),
          },
        },
      ],
    },
  });
}
