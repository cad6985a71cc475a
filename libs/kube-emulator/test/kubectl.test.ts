/** The emulator through the real `kubectl` 1.32 binary. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, waitUntil, type Harness, type Json } from './helpers.ts';
import { kubectl, kubectlBackground, manifest } from './kubectl.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => h.stop());

const gatewayYaml = (
  className: string,
  port: number,
): string => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: gw
  namespace: default
spec:
  gatewayClassName: ${className}
  listeners:
  - name: http
    protocol: HTTP
    port: ${port}
`;

const serviceAndConfigMapYaml = (port: number, value: string): string => `apiVersion: v1
kind: Service
metadata:
  name: echo
spec:
  selector:
    app: echo
  ports:
  - name: http
    port: ${port}
    targetPort: 8080
  - name: metrics
    port: 9100
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  key: "${value}"
`;

const gatewayClassYaml = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata:
  name: portico
spec:
  controllerName: portico.dev/gateway-controller
`;

async function getJson(...args: string[]): Promise<Json> {
  const r = await kubectl(h, 'get', ...args, '-o', 'json');
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as Json;
}

describe('kubectl apply', () => {
  it('creates a Gateway, then updates it and bumps the generation (JSON merge patch)', async () => {
    const file = await manifest(h, 'gw.yaml', gatewayYaml('portico', 80));
    expect(await kubectl(h, 'apply', '-f', file)).toMatchObject({
      code: 0,
      stdout: 'gateway.gateway.networking.k8s.io/gw created\n',
    });
    await manifest(h, 'gw.yaml', gatewayYaml('portico', 8080));
    expect(await kubectl(h, 'apply', '-f', file)).toMatchObject({
      code: 0,
      stdout: 'gateway.gateway.networking.k8s.io/gw configured\n',
    });
    const gw = await getJson('gateway', 'gw');
    expect(gw.metadata.generation).toBe(2);
    expect(gw.spec.listeners[0].port).toBe(8080);
    // Applying the same file again sends a patch (the listeners list differs from the defaulted
    // one, as on a real cluster) that changes nothing: no new resourceVersion, same generation.
    expect((await kubectl(h, 'apply', '-f', file)).code).toBe(0);
    const again = await getJson('gateway', 'gw');
    expect(again.metadata.resourceVersion).toBe(gw.metadata.resourceVersion);
    expect(again.metadata.generation).toBe(2);
  });

  it('updates a Service and a ConfigMap through strategic merge patch', async () => {
    const file = await manifest(h, 'svc.yaml', serviceAndConfigMapYaml(80, 'one'));
    expect((await kubectl(h, 'apply', '-f', file)).stdout).toBe(
      'service/echo created\nconfigmap/settings created\n',
    );
    await manifest(h, 'svc.yaml', serviceAndConfigMapYaml(8000, 'two'));
    const second = await kubectl(h, 'apply', '-f', file);
    expect(second).toMatchObject({
      code: 0,
      stdout: 'service/echo configured\nconfigmap/settings configured\n',
    });
    const svc = await getJson('service', 'echo');
    expect(svc.metadata.generation).toBe(2);
    expect(svc.spec.ports.map((p: { port: number }) => p.port)).toEqual([8000, 9100]);
    expect(svc.spec.clusterIP).toMatch(/^10\.96\./);
    const cm = await getJson('configmap', 'settings');
    expect(cm.metadata.generation).toBe(2);
    expect(cm.data).toEqual({ key: 'two' });
  });
});

describe('kubectl apply validation', () => {
  it('refuses an unknown field (server-side strict validation)', async () => {
    const bad = gatewayYaml('portico', 80).replace('spec:\n', 'spec:\n  foo: bar\n');
    const result = await kubectl(h, 'apply', '-f', await manifest(h, 'bad.yaml', bad));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('strict decoding error: unknown field "spec.foo"');
    expect((await kubectl(h, 'get', 'gateways', '-o', 'name')).stdout).toBe('');
  });

  it('prunes it with a warning when asked to only warn', async () => {
    const bad = gatewayYaml('portico', 80).replace('spec:\n', 'spec:\n  foo: bar\n');
    const result = await kubectl(
      h,
      'apply',
      '--validate=warn',
      '-f',
      await manifest(h, 'bad.yaml', bad),
    );
    expect(result).toMatchObject({
      code: 0,
      stdout: 'gateway.gateway.networking.k8s.io/gw created\n',
    });
    expect(result.stderr).toContain('unknown field "spec.foo"');
    expect((await getJson('gateway', 'gw')).spec.foo).toBeUndefined();
  });
});

describe('kubectl get', () => {
  it('prints the CRD printer columns and JSON', async () => {
    await kubectl(h, 'apply', '-f', await manifest(h, 'gw.yaml', gatewayYaml('portico', 80)));
    const table = await kubectl(h, 'get', 'gateways');
    expect(table.stdout.split('\n')[0]?.split(/\s+/)).toEqual([
      'NAME',
      'CLASS',
      'ADDRESS',
      'PROGRAMMED',
      'AGE',
    ]);
    expect(table.stdout.split('\n')[1]).toMatch(/^gw\s+portico\s+Unknown\s+\d+s$/);
    const json = await getJson('gtw', 'gw');
    expect(json).toMatchObject({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'gw', namespace: 'default' },
    });
    const beta = await getJson('gateways.v1beta1.gateway.networking.k8s.io', 'gw');
    expect(beta.apiVersion).toBe('gateway.networking.k8s.io/v1beta1');
  });

  it('-w prints a change', async () => {
    await kubectl(h, 'apply', '-f', await manifest(h, 'gw.yaml', gatewayYaml('portico', 80)));
    const watch = kubectlBackground(h, 'get', 'gateways', '-w');
    try {
      await waitUntil('the initial table', () => /gw\s+portico/.test(watch.output()), 10_000);
      expect(
        (
          await kubectl(
            h,
            'patch',
            'gateway',
            'gw',
            '--type=merge',
            '-p',
            '{"spec":{"gatewayClassName":"changed"}}',
          )
        ).code,
      ).toBe(0);
      await waitUntil('the change', () => /gw\s+changed/.test(watch.output()), 10_000);
    } finally {
      watch.child.kill('SIGTERM');
    }
  });
});

describe('kubectl status, wait and delete', () => {
  it('wait --for=condition=Accepted returns once a status patch sets it', async () => {
    await kubectl(h, 'apply', '-f', await manifest(h, 'gc.yaml', gatewayClassYaml));
    const waiting = kubectl(
      h,
      'wait',
      '--for=condition=Accepted',
      'gatewayclass/portico',
      '--timeout=20s',
    );
    await new Promise((r) => setTimeout(r, 500));
    const status = {
      status: {
        conditions: [
          {
            type: 'Accepted',
            status: 'True',
            reason: 'Accepted',
            message: '',
            lastTransitionTime: '2026-01-01T00:00:00Z',
            observedGeneration: 1,
          },
        ],
      },
    };
    const patched = await kubectl(
      h,
      'patch',
      'gatewayclass',
      'portico',
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify(status),
    );
    expect(patched).toMatchObject({
      code: 0,
      stdout: 'gatewayclass.gateway.networking.k8s.io/portico patched\n',
    });
    expect(await waiting).toMatchObject({
      code: 0,
      stdout: 'gatewayclass.gateway.networking.k8s.io/portico condition met\n',
    });
    const gc = await getJson('gatewayclass', 'portico');
    expect(gc.metadata.generation).toBe(1);
    expect((await kubectl(h, 'get', 'gc')).stdout).toMatch(
      /portico\s+portico\.dev\/gateway-controller\s+True\s+\S+/,
    );
  });

  it('delete -f removes the objects', async () => {
    const file = await manifest(h, 'svc.yaml', serviceAndConfigMapYaml(80, 'one'));
    await kubectl(h, 'apply', '-f', file);
    expect(await kubectl(h, 'delete', '-f', file)).toMatchObject({
      code: 0,
      stdout: 'service "echo" deleted\nconfigmap "settings" deleted\n',
    });
    const left = await kubectl(h, 'get', 'services,configmaps', '-o', 'name');
    expect(left.stdout).toBe('');
  });
});
