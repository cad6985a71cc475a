/** The REST protocol details clients rely on, checked over plain HTTP with fetch. */
import { afterEach, describe, expect, it } from 'vitest';
import { gatewayManifest, GROUP, startHarness, type Harness, type Json } from './helpers.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

async function harness(options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  h = await startHarness(options);
  return h;
}

async function call(
  url: string,
  method = 'GET',
  body?: unknown,
  contentType = 'application/json',
): Promise<{ code: number; body: Json; headers: Headers }> {
  const res = await fetch(url, {
    method,
    headers: { 'Content-Type': contentType, Accept: 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { code: res.status, body: text ? (JSON.parse(text) as Json) : {}, headers: res.headers };
}

/** Reads a watch stream event by event. */
async function openWatch(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await fetch(url, { signal: controller.signal, headers });
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    status: res.status,
    /** The next event, or `undefined` when the server ended the stream. */
    async next(): Promise<Json | undefined> {
      for (;;) {
        const nl = buffer.indexOf('\n');
        if (nl >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          return JSON.parse(line) as Json;
        }
        const { done, value } = await reader.read();
        if (done) return undefined;
        buffer += decoder.decode(value, { stream: true });
      }
    },
    close: () => controller.abort(),
  };
}

const gateways = (h: Harness, ns = 'default') =>
  `${h.emulator.url}/apis/${GROUP}/v1/namespaces/${ns}/gateways`;
const configmaps = (h: Harness, ns = 'default') =>
  `${h.emulator.url}/api/v1/namespaces/${ns}/configmaps`;
const cm = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels },
  data: { a: '1' },
});

describe('discovery', () => {
  it('serves plain discovery documents, also to the aggregated-discovery Accept', async () => {
    const t = await harness();
    const res = await fetch(`${t.emulator.url}/apis`, {
      headers: {
        Accept:
          'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
      },
    });
    expect(res.headers.get('content-type')).toBe('application/json');
    const groups = (await res.json()) as Json;
    expect(groups.kind).toBe('APIGroupList');
    const gw = groups.groups.find((g: Json) => g.name === GROUP);
    expect(gw.versions.map((v: Json) => v.version)).toEqual(['v1', 'v1beta1']);
    expect(gw.preferredVersion.version).toBe('v1');
    const beta = await call(`${t.emulator.url}/apis/${GROUP}/v1beta1`);
    expect(
      beta.body.resources
        .filter((r: Json) => !r.name.includes('/'))
        .map((r: Json) => r.name)
        .sort(),
    ).toEqual(['gatewayclasses', 'gateways', 'httproutes', 'referencegrants']);
    const core = await call(`${t.emulator.url}/api/v1`);
    expect(core.body.resources.map((r: Json) => r.name)).toContain('services/status');
  });
});

describe('watch', () => {
  it('resumes from a resourceVersion and answers 410 Gone once it is compacted', async () => {
    const t = await harness({ historyLimit: 3 });
    const first = await call(configmaps(t), 'POST', cm('a'));
    const rv = first.body.metadata.resourceVersion as string;
    await call(configmaps(t), 'POST', cm('b'));
    const resumed = await openWatch(`${configmaps(t)}?watch=1&resourceVersion=${rv}`);
    expect(await resumed.next()).toMatchObject({
      type: 'ADDED',
      object: { metadata: { name: 'b' } },
    });
    resumed.close();
    for (const name of ['c', 'd', 'e']) await call(configmaps(t), 'POST', cm(name));
    const tooOld = await openWatch(`${configmaps(t)}?watch=1&resourceVersion=${rv}`);
    expect(tooOld.status).toBe(200);
    expect(await tooOld.next()).toMatchObject({
      type: 'ERROR',
      object: { kind: 'Status', code: 410, reason: 'Expired' },
    });
    expect(await tooOld.next()).toBeUndefined();
  });

  it('turns selector transitions into ADDED and DELETED, sends bookmarks and honours timeoutSeconds', async () => {
    const t = await harness({ bookmarkIntervalMs: 100 });
    const list = await call(configmaps(t));
    const w = await openWatch(
      `${configmaps(t)}?watch=true&labelSelector=tier%20in%20(web)&allowWatchBookmarks=true&timeoutSeconds=2&resourceVersion=${list.body.metadata.resourceVersion}`,
    );
    await call(configmaps(t), 'POST', cm('x'));
    await call(
      `${configmaps(t)}/x`,
      'PATCH',
      { metadata: { labels: { tier: 'web' } } },
      'application/merge-patch+json',
    );
    await call(`${configmaps(t)}/x`, 'PATCH', { data: { a: '2' } }, 'application/merge-patch+json');
    await call(
      `${configmaps(t)}/x`,
      'PATCH',
      { metadata: { labels: { tier: null } } },
      'application/merge-patch+json',
    );
    const seen: string[] = [];
    for (let e = await w.next(); e; e = await w.next())
      seen.push(e.type === 'BOOKMARK' ? 'BOOKMARK' : `${e.type} ${e.object.data.a}`);
    expect(seen.filter((s) => s !== 'BOOKMARK')).toEqual(['ADDED 1', 'MODIFIED 2', 'DELETED 2']);
    expect(seen).toContain('BOOKMARK');
  });

  it('streams Tables when asked, as kubectl get -w does', async () => {
    const t = await harness();
    const w = await openWatch(`${gateways(t)}?watch=1`, {
      Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
    });
    await call(gateways(t), 'POST', gatewayManifest('gw'));
    const event = await w.next();
    expect(event).toMatchObject({
      type: 'ADDED',
      object: { kind: 'Table', apiVersion: 'meta.k8s.io/v1' },
    });
    expect(event?.object.rows[0].cells.slice(0, 2)).toEqual(['gw', 'portico']);
    w.close();
  });
});

describe('namespaces', () => {
  it('refuse objects in a missing namespace and delete everything in a deleted one', async () => {
    const t = await harness();
    const missing = await call(configmaps(t, 'team-a'), 'POST', cm('x'));
    expect(missing).toMatchObject({
      code: 404,
      body: {
        kind: 'Status',
        reason: 'NotFound',
        message: 'namespaces "team-a" not found',
        details: { name: 'team-a', kind: 'namespaces' },
      },
    });
    await call(`${t.emulator.url}/api/v1/namespaces`, 'POST', { metadata: { name: 'team-a' } });
    await call(configmaps(t, 'team-a'), 'POST', cm('x'));
    const inTeam = { ...gatewayManifest('gw'), metadata: { name: 'gw', namespace: 'team-a' } };
    expect((await call(gateways(t, 'team-a'), 'POST', inTeam)).code).toBe(201);
    expect((await call(gateways(t), 'POST', inTeam)).body.message).toBe(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
    const all = await call(
      `${t.emulator.url}/api/v1/configmaps?fieldSelector=metadata.namespace%3Dteam-a`,
    );
    expect(all.body.items.map((i: Json) => i.metadata.name)).toEqual(['x']);
    const w = await openWatch(
      `${t.emulator.url}/apis/${GROUP}/v1/gateways?watch=1&resourceVersion=${all.body.metadata.resourceVersion}`,
    );
    expect((await call(`${t.emulator.url}/api/v1/namespaces/team-a`, 'DELETE')).code).toBe(200);
    expect(await w.next()).toMatchObject({
      type: 'DELETED',
      object: { metadata: { name: 'gw', namespace: 'team-a' } },
    });
    w.close();
    expect((await call(`${configmaps(t, 'team-a')}/x`)).code).toBe(404);
    expect((await call(`${t.emulator.url}/api/v1/namespaces/default`, 'DELETE')).code).toBe(403);
    const ns = await call(`${t.emulator.url}/api/v1/namespaces/default`);
    expect(ns.body.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'default' });
  });
});

describe('writes', () => {
  it('support generateName, dryRun=All and pagination', async () => {
    const t = await harness();
    const dry = await call(`${configmaps(t)}?dryRun=All`, 'POST', cm('dry'));
    expect(dry.code).toBe(201);
    expect((await call(`${configmaps(t)}/dry`)).code).toBe(404);
    expect((await call(`${configmaps(t)}?dryRun=Some`, 'POST', cm('dry'))).code).toBe(400);
    for (let i = 0; i < 3; i++) {
      const made = await call(configmaps(t), 'POST', {
        metadata: { generateName: 'gen-' },
        data: {},
      });
      expect(made.body.metadata.name).toMatch(/^gen-[a-z0-9]{5}$/);
    }
    const page1 = await call(`${configmaps(t)}?limit=2`);
    expect(page1.body.items).toHaveLength(2);
    expect(page1.body.metadata.remainingItemCount).toBe(1);
    const page2 = await call(
      `${configmaps(t)}?limit=2&continue=${encodeURIComponent(page1.body.metadata.continue as string)}`,
    );
    expect(page2.body.items).toHaveLength(1);
    expect(page2.body.metadata.continue).toBeUndefined();
    const names = [...page1.body.items, ...page2.body.items].map((i: Json) => i.metadata.name);
    expect(new Set(names).size).toBe(3);
  });

  it('warn about and prune unknown fields unless validation is strict', async () => {
    const t = await harness();
    const body = {
      ...gatewayManifest('gw'),
      spec: { ...(gatewayManifest('gw').spec as Json), extra: 1 },
    };
    const warned = await call(gateways(t), 'POST', body);
    expect(warned.code).toBe(201);
    expect(warned.headers.get('warning')).toBe('299 - "unknown field \\"spec.extra\\""');
    expect(warned.body.spec.extra).toBeUndefined();
    const strict = await call(`${gateways(t)}?fieldValidation=Strict`, 'POST', {
      ...body,
      metadata: { name: 'gw2' },
    });
    expect(strict).toMatchObject({
      code: 400,
      body: { reason: 'BadRequest', message: 'strict decoding error: unknown field "spec.extra"' },
    });
  });
});

describe('fault injection over HTTP', () => {
  it('fails the next status writes of a kind, then recovers; reset clears faults', async () => {
    const t = await harness();
    const faults = `${t.emulator.url}/__emulator/faults`;
    await call(gateways(t), 'POST', gatewayManifest('gw'));
    expect(
      (
        await call(faults, 'POST', {
          action: 'failWrites',
          kind: 'Gateway',
          count: 1,
          code: 503,
          subresource: 'status',
        })
      ).code,
    ).toBe(200);
    const patch = { status: { addresses: [{ type: 'IPAddress', value: '10.0.0.1' }] } };
    const specWrite = await call(
      `${gateways(t)}/gw`,
      'PATCH',
      { metadata: { labels: { a: 'b' } } },
      'application/merge-patch+json',
    );
    expect(specWrite.code).toBe(200);
    const failed = await call(
      `${gateways(t)}/gw/status`,
      'PATCH',
      patch,
      'application/merge-patch+json',
    );
    expect(failed).toMatchObject({
      code: 503,
      body: { kind: 'Status', reason: 'ServiceUnavailable', code: 503 },
    });
    const ok = await call(
      `${gateways(t)}/gw/status`,
      'PATCH',
      patch,
      'application/merge-patch+json',
    );
    expect(ok.code).toBe(200);
    expect(ok.body.status.addresses).toEqual(patch.status.addresses);
    await call(faults, 'POST', { action: 'setLatency', ms: 300 });
    const started = Date.now();
    await call(`${gateways(t)}/gw`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    await call(faults, 'POST', { action: 'failWrites', kind: 'gateways', count: 5, code: 500 });
    await call(faults, 'POST', { action: 'reset' });
    const afterReset = Date.now();
    expect(
      (
        await call(
          `${gateways(t)}/gw`,
          'PATCH',
          { metadata: { labels: { c: 'd' } } },
          'application/merge-patch+json',
        )
      ).code,
    ).toBe(200);
    expect(Date.now() - afterReset).toBeLessThan(300);
    expect((await call(faults, 'POST', { action: 'explode' })).code).toBe(400);
  });
});
