import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@portico/testing';
import {
  RESOURCES,
  createInformer,
  objectPath,
  type KubeInformer,
  type KubeObject,
  type KubeRest,
} from '../src/index.ts';
import { createGateway, startApi, type Api } from './helpers.ts';

type Seen = { event: 'add' | 'update' | 'delete'; object: KubeObject };

let api: Api;
let rest: KubeRest;
let informer: KubeInformer;
const seen: Seen[] = [];

const eventsOf = (name: string) =>
  seen.filter((s) => s.object.metadata.name === name).map((s) => s.event);

async function waitForEvent(name: string, event: Seen['event']): Promise<KubeObject> {
  const found = await waitFor(
    () => seen.find((s) => s.object.metadata.name === name && s.event === event),
    { description: `${event} of Gateway ${name}`, timeoutMs: 5_000, intervalMs: 10 },
  );
  return found.object;
}

beforeAll(async () => {
  api = await startApi();
  rest = api.rest;
  await createGateway(rest, 'listed');
  informer = createInformer(rest, RESOURCES.Gateway);
  for (const event of ['add', 'update', 'delete'] as const)
    informer.on(event, (object) => seen.push({ event, object }));
  await informer.start();
});
afterAll(async () => {
  await informer.stop();
  await api.stop();
});

describe('createInformer', () => {
  it('reports objects of the initial list as adds, in plain JSON with their kind', async () => {
    const listed = await waitForEvent('listed', 'add');
    expect(listed.kind).toBe('Gateway');
    expect(listed.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(typeof listed.metadata.creationTimestamp).toBe('string');
    expect(informer.list('default').map((o) => o.metadata.name)).toContain('listed');
  });

  it('sees add, update and delete of a watched object, timestamps staying strings', async () => {
    await createGateway(rest, 'watched');
    const added = await waitForEvent('watched', 'add');
    expect(typeof added.metadata.creationTimestamp).toBe('string');
    expect(added.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const path = objectPath(RESOURCES.Gateway, 'default', 'watched');
    const current = await rest.request<KubeObject>('GET', path);
    await rest.request('PUT', path, {
      body: { ...current, metadata: { ...current.metadata, labels: { tier: 'edge' } } },
    });
    const updated = await waitForEvent('watched', 'update');
    expect(updated.metadata.labels).toEqual({ tier: 'edge' });
    expect(typeof updated.metadata.creationTimestamp).toBe('string');

    await rest.request('DELETE', path);
    const deleted = await waitForEvent('watched', 'delete');
    expect(deleted.metadata.name).toBe('watched');
    expect(eventsOf('watched')).toEqual(['add', 'update', 'delete']);
    expect(informer.list('default').map((o) => o.metadata.name)).not.toContain('watched');
  });
});
