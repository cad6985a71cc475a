/** The emulator through `@kubernetes/client-node`, the client the watcher and reconciler use. */
import {
  ADD,
  ApiException,
  CONNECT,
  CustomObjectsApi,
  DELETE,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
  UPDATE,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gatewayManifest, GROUP, startHarness, waitUntil, type Harness } from './helpers.ts';

interface Gw extends KubernetesObject {
  spec: { gatewayClassName: string };
  status?: Record<string, unknown>;
}

let h: Harness;
let api: CustomObjectsApi;
const gw = { group: GROUP, version: 'v1', namespace: 'default', plural: 'gateways' };
const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

beforeEach(async () => {
  h = await startHarness();
  api = h.kc.makeApiClient(CustomObjectsApi);
});
afterEach(async () => h.stop());

const create = (name: string): Promise<Gw> =>
  api.createNamespacedCustomObject({ ...gw, body: gatewayManifest(name) }) as Promise<Gw>;
const get = (name: string): Promise<Gw> =>
  api.getNamespacedCustomObject({ ...gw, name }) as Promise<Gw>;

/** An informer over Gateways in `default` that records what it sees and how often it listed. */
async function gatewayInformer() {
  const seen: string[] = [];
  let lists = 0;
  let connects = 0;
  const informer = makeInformer<Gw>(
    h.kc,
    `/apis/${GROUP}/v1/namespaces/default/gateways`,
    async () => {
      lists += 1;
      return (await api.listNamespacedCustomObject(gw)) as KubernetesListObject<Gw>;
    },
  );
  informer.on(ADD, (o) => seen.push(`add ${o.metadata?.name} ${o.spec.gatewayClassName}`));
  informer.on(UPDATE, (o) => seen.push(`update ${o.metadata?.name} ${o.spec.gatewayClassName}`));
  informer.on(DELETE, (o) => seen.push(`delete ${o.metadata?.name}`));
  informer.on(CONNECT, () => (connects += 1));
  await informer.start();
  return { informer, seen, lists: () => lists, connects: () => connects };
}

describe('informers', () => {
  it('see adds, updates and deletes', async () => {
    await create('a');
    const inf = await gatewayInformer();
    await waitUntil('initial add', () => inf.seen.includes('add a portico'));
    await create('b');
    await api.patchNamespacedCustomObject(
      { ...gw, name: 'a', body: { spec: { gatewayClassName: 'other' } } },
      merge,
    );
    await api.deleteNamespacedCustomObject({ ...gw, name: 'b' });
    await waitUntil('all events', () => inf.seen.length >= 4);
    expect(inf.seen).toEqual(['add a portico', 'add b portico', 'update a other', 'delete b']);
    await inf.informer.stop();
  });

  it('resume a dropped watch from their resourceVersion without missing an event', async () => {
    const inf = await gatewayInformer();
    await waitUntil('watch open', () => inf.connects() === 1);
    // Drop, write, and check that no watch was open when the write landed (else try again):
    // then the event can only reach the informer through the resumed watch's replay.
    const written: string[] = [];
    let provenWhileDown = false;
    for (let i = 0; i < 20 && !provenWhileDown; i++) {
      await waitUntil('a watch to drop', () => h.emulator.faults.dropWatches('Gateway') === 1);
      await create(`down-${i}`);
      written.push(`add down-${i} portico`);
      provenWhileDown = h.emulator.faults.dropWatches('Gateway') === 0;
    }
    expect(provenWhileDown).toBe(true);
    await waitUntil('every event after reconnects', () =>
      written.every((e) => inf.seen.includes(e)),
    );
    expect(inf.seen).toEqual(written);
    expect(inf.connects()).toBeGreaterThanOrEqual(2);
    expect(inf.lists()).toBe(1);
    await inf.informer.stop();
  });

  it('relist after a forced 410 Gone and converge', async () => {
    await create('old');
    const inf = await gatewayInformer();
    await waitUntil('initial add', () => inf.seen.includes('add old portico'));
    h.emulator.faults.goneOnNextWatch('gateways');
    expect(h.emulator.faults.dropWatches('Gateway')).toBe(1);
    await api.deleteNamespacedCustomObject({ ...gw, name: 'old' });
    await create('new');
    await waitUntil('relist', () => inf.lists() === 2);
    await waitUntil('converged', () => {
      const names = inf.informer.list('default').map((o) => o.metadata?.name);
      return names.length === 1 && names[0] === 'new';
    });
    expect(inf.seen).toContain('delete old');
    await inf.informer.stop();
  });
});

describe('schema admission', () => {
  const routes = { ...gw, plural: 'httproutes' };
  const route = (pathType: string) => ({
    apiVersion: `${GROUP}/v1`,
    kind: 'HTTPRoute',
    metadata: { name: 'r', namespace: 'default' },
    spec: {
      parentRefs: [{ name: 'gw' }],
      rules: [{ matches: [{ path: { type: pathType, value: '/x' } }] }],
    },
  });

  it('refuses a schema-invalid HTTPRoute with 422 Invalid and causes', async () => {
    const err = await api.createNamespacedCustomObject({ ...routes, body: route('Foo') }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApiException);
    const apiErr = err as ApiException<string>;
    expect(apiErr.code).toBe(422);
    const status = JSON.parse(apiErr.body) as {
      reason: string;
      message: string;
      details: { kind: string; group: string; causes: { field: string; reason: string }[] };
    };
    expect(status).toMatchObject({
      kind: 'Status',
      reason: 'Invalid',
      code: 422,
      details: { name: 'r', group: GROUP, kind: 'HTTPRoute' },
    });
    expect(status.message).toMatch(/^HTTPRoute\.gateway\.networking\.k8s\.io "r" is invalid: /);
    expect(status.details.causes).toContainEqual(
      expect.objectContaining({
        field: 'spec.rules[0].matches[0].path.type',
        reason: 'FieldValueNotSupported',
      }),
    );
  });

  it('applies the CRD defaults', async () => {
    const created = (await api.createNamespacedCustomObject({
      ...routes,
      body: route('Exact'),
    })) as { spec: { parentRefs: Record<string, unknown>[]; rules: Record<string, unknown>[] } };
    expect(created.spec.parentRefs[0]).toEqual({ group: GROUP, kind: 'Gateway', name: 'gw' });
  });
});

describe('writes', () => {
  it('refuse an update with a stale resourceVersion with 409 Conflict', async () => {
    const first = await create('c');
    await api.replaceNamespacedCustomObject({
      ...gw,
      name: 'c',
      body: { ...first, spec: { ...first.spec, gatewayClassName: 'v2' } },
    });
    const stale = api.replaceNamespacedCustomObject({
      ...gw,
      name: 'c',
      body: { ...first, spec: { ...first.spec, gatewayClassName: 'v3' } },
    });
    const err = await stale.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApiException);
    const apiErr = err as ApiException<string>;
    expect(apiErr.code).toBe(409);
    expect(JSON.parse(apiErr.body)).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Conflict',
      code: 409,
      details: { name: 'c', group: GROUP, kind: 'gateways' },
    });
    expect((await get('c')).spec.gatewayClassName).toBe('v2');
  });

  it('move generation on spec writes only, and keep spec and status writes apart', async () => {
    const created = await create('g');
    expect(created.metadata?.generation).toBe(1);
    const status = {
      conditions: [
        {
          type: 'Programmed',
          status: 'True',
          reason: 'Programmed',
          message: '',
          lastTransitionTime: '2026-01-01T00:00:00Z',
          observedGeneration: 1,
        },
      ],
    };
    const afterStatus = (await api.patchNamespacedCustomObjectStatus(
      { ...gw, name: 'g', body: { status } },
      merge,
    )) as Gw;
    expect(afterStatus.metadata?.generation).toBe(1);
    expect(Number(afterStatus.metadata?.resourceVersion)).toBeGreaterThan(
      Number(created.metadata?.resourceVersion),
    );
    expect(afterStatus.status).toEqual(status);
    const afterSpec = (await api.patchNamespacedCustomObject(
      { ...gw, name: 'g', body: { spec: { gatewayClassName: 'x' }, status: { conditions: [] } } },
      merge,
    )) as Gw;
    expect(afterSpec.metadata?.generation).toBe(2);
    expect(afterSpec.status).toEqual(status);
    const statusSpecIgnored = (await api.patchNamespacedCustomObjectStatus(
      { ...gw, name: 'g', body: { spec: { gatewayClassName: 'y' } } },
      merge,
    )) as Gw;
    expect(statusSpecIgnored.spec.gatewayClassName).toBe('x');
    expect(statusSpecIgnored.metadata?.generation).toBe(2);
  });
});
