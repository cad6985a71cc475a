/**
 * The kinds provisioning needs: apps/v1 Deployments, Portico's own GatewayParameters (with its
 * schema), and owner-based garbage collection (deleting a Gateway removes what it owns).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, waitUntil, type Harness, type Json } from './helpers.ts';
import { kubectl, manifest } from './kubectl.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

async function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ code: number; json: Json }> {
  const res = await fetch(`${h.emulator.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { code: res.status, json: (await res.json()) as Json };
}

const deploymentPath = '/apis/apps/v1/namespaces/default/deployments';
const paramsPath = '/apis/portico.dev/v1alpha1/namespaces/default/gatewayparameters';

function deployment(name: string, owner?: { uid: string; name: string }): Json {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      ...(owner
        ? {
            ownerReferences: [
              {
                apiVersion: 'gateway.networking.k8s.io/v1',
                kind: 'Gateway',
                name: owner.name,
                uid: owner.uid,
                controller: true,
              },
            ],
          }
        : {}),
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name: 'main', image: 'example', env: [{ name: 'A', value: '1' }] }],
        },
      },
    },
  };
}

describe('apps/v1 Deployment', () => {
  it('is created, updated with generation moving on spec changes only, and has a status subresource', async () => {
    const created = await call('POST', deploymentPath, deployment('web'));
    expect(created.code).toBe(201);
    expect(created.json.metadata.generation).toBe(1);
    const spec = { ...created.json.spec, replicas: 3 };
    const updated = await call('PUT', `${deploymentPath}/web`, { ...created.json, spec });
    expect(updated.json.metadata.generation).toBe(2);
    const status = await call('PUT', `${deploymentPath}/web/status`, {
      ...updated.json,
      status: { replicas: 3, readyReplicas: 3 },
    });
    expect(status.json.metadata.generation).toBe(2);
    expect(status.json.status.readyReplicas).toBe(3);
  });

  it('works with kubectl apply and get (strategic merge by container name)', async () => {
    const yaml = `apiVersion: apps/v1
kind: Deployment
metadata: { name: applied }
spec:
  selector: { matchLabels: { app: applied } }
  template:
    metadata: { labels: { app: applied } }
    spec:
      containers:
        - { name: main, image: one }
        - { name: side, image: two }
`;
    expect((await kubectl(h, 'apply', '-f', await manifest(h, 'd1.yaml', yaml))).code).toBe(0);
    const changed = yaml.replace('image: one', 'image: three');
    const second = await kubectl(h, 'apply', '-f', await manifest(h, 'd2.yaml', changed));
    expect(second.stderr).toBe('');
    const got = await call('GET', `${deploymentPath}/applied`);
    expect(got.json.spec.template.spec.containers.map((c: Json) => `${c.name}=${c.image}`)).toEqual(
      ['main=three', 'side=two'],
    );
    const table = await kubectl(h, 'get', 'deploy', 'applied');
    expect(table.stdout).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE/);
  });
});

describe('portico.dev/v1alpha1 GatewayParameters', () => {
  it.each([
    [
      'a full spec',
      {
        replicas: 2,
        resources: { requests: { cpu: '100m', memory: '128Mi' } },
        service: { type: 'NodePort' },
        nginx: { workerProcesses: 2, workerConnections: 1024 },
      },
      201,
    ],
    ['an empty spec', {}, 201],
    ['replicas 0', { replicas: 0 }, 422],
    ['an unknown Service type', { service: { type: 'ExternalName' } }, 422],
    ['a bad quantity', { resources: { limits: { memory: 'lots' } } }, 422],
  ])('%s is answered %i', async (_name, spec, code) => {
    const name = `p-${Math.random().toString(36).slice(2, 8)}`;
    const result = await call('POST', paramsPath, {
      apiVersion: 'portico.dev/v1alpha1',
      kind: 'GatewayParameters',
      metadata: { name },
      spec,
    });
    expect(result.code).toBe(code);
  });

  it('refuses unknown fields under kubectl apply (server-side validation)', async () => {
    const yaml = `apiVersion: portico.dev/v1alpha1
kind: GatewayParameters
metadata: { name: strict }
spec:
  replicas: 1
  bogus: true
`;
    const result = await kubectl(h, 'apply', '-f', await manifest(h, 'p.yaml', yaml));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('unknown field "spec.bogus"');
  });
});

describe('garbage collection', () => {
  it('deleting an owner removes its dependents (transitively), and leaves other objects', async () => {
    const gw = await call(
      'POST',
      '/apis/gateway.networking.k8s.io/v1/namespaces/default/gateways',
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: 'owner' },
        spec: { gatewayClassName: 'x', listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }] },
      },
    );
    const owner = { uid: gw.json.metadata.uid as string, name: 'owner' };
    const dep = await call('POST', deploymentPath, deployment('owned', owner));
    const grandchild = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'grandchild',
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'Deployment', name: 'owned', uid: dep.json.metadata.uid },
        ],
      },
    };
    await call('POST', '/api/v1/namespaces/default/configmaps', grandchild);
    await call('POST', deploymentPath, deployment('unowned'));
    expect(
      (await call('DELETE', '/apis/gateway.networking.k8s.io/v1/namespaces/default/gateways/owner'))
        .code,
    ).toBe(200);
    await waitUntil(
      'dependents gone',
      async () => (await call('GET', `${deploymentPath}/owned`)).code === 404,
    );
    expect((await call('GET', '/api/v1/namespaces/default/configmaps/grandchild')).code).toBe(404);
    expect((await call('GET', `${deploymentPath}/unowned`)).code).toBe(200);
  });
});
