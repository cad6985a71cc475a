/**
 * Local mode's provisioned data planes: the local kubelet runs one renderer + NGINX per
 * provisioned Deployment, each Gateway at its own port offset (the seed's is the stack's), the
 * local load balancer gives the Service (and so the Gateway) 127.0.0.1, a template change
 * restarts the data plane, a crashed one comes back, and a deleted Gateway's stops.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objectPath, RESOURCES, type KubeObject } from '@portico/kube';
import {
  freePort,
  httpGet,
  makeTempDir,
  processAlive,
  removeTempDir,
  startEcho,
  waitFor,
  type RunningEcho,
} from '@portico/testing';
import { SLOT_SPACING } from '../src/kubelet.ts';
import { writeEndpointSlice } from '../src/endpoints.ts';
import { startLocalStack, type LocalStack } from '../src/stack.ts';

let stack: LocalStack;
let stateDir: string;
let offset: number;
let echo: RunningEcho;

const SECOND = `apiVersion: v1
kind: Namespace
metadata: { name: second }
---
apiVersion: v1
kind: Service
metadata: { name: echo, namespace: second }
spec: { ports: [{ name: http, port: 80 }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: edge, namespace: second }
spec:
  gatewayClassName: portico
  listeners: [{ name: http, protocol: HTTP, port: 80 }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: web, namespace: second }
spec:
  parentRefs: [{ name: edge }]
  hostnames: [second.example.local]
  rules: [{ backendRefs: [{ name: echo, port: 80 }] }]
`;

async function apply(name: string, yaml: string): Promise<void> {
  const path = join(stateDir, name);
  await writeFile(path, yaml);
  await stack.kubectl(['apply', '-f', path]);
}

const answer = (url: string, host: string) =>
  httpGet(url, { headers: { host } }).then(
    (r) => (r.status === 200 ? `200 ${(r.json() as { pod: string }).pod}` : String(r.status)),
    (e: unknown) => `error ${String(e)}`,
  );

beforeAll(async () => {
  stateDir = await makeTempDir('local-kubelet');
  offset = (await freePort()) - 80;
  stack = await startLocalStack({ stateDir, portOffset: offset, reconcilers: 1 });
  await stack.waitForGatewayProgrammed('default', 'my-gateway', 60_000);
  echo = await startEcho({ namespace: 'second', pod: 'second-1', service: 'echo' });
}, 120_000);

afterAll(async () => {
  await echo?.stop();
  await stack?.stop();
  await removeTempDir(stateDir);
});

describe('the local kubelet and load balancer', { timeout: 120_000 }, () => {
  it('serves the seed Gateway at the stack offset, with 127.0.0.1 from the load balancer', async () => {
    expect(await stack.gatewayUrl('default', 'my-gateway')).toBe(`http://127.0.0.1:${80 + offset}`);
    const gateway = await stack.rest.request<KubeObject>(
      'GET',
      objectPath(RESOURCES.Gateway, 'default', 'my-gateway'),
    );
    expect((gateway.status as { addresses: unknown }).addresses).toEqual([
      { type: 'IPAddress', value: '127.0.0.1' },
    ]);
    const deployment = await waitFor(
      () =>
        stack.rest
          .request<KubeObject>(
            'GET',
            objectPath(RESOURCES.Deployment, 'default', 'portico-my-gateway'),
          )
          .then((d) =>
            (d.status as { readyReplicas?: number } | undefined)?.readyReplicas ? d : undefined,
          ),
      { description: 'the seed Deployment to report a ready replica', timeoutMs: 10_000 },
    );
    expect(deployment.status).toMatchObject({ readyReplicas: 1, observedGeneration: 1 });
  });

  it('gives a second Gateway on the same port its own data plane at the next offset', async () => {
    await apply('second.yaml', SECOND);
    await writeEndpointSlice(stack.rest, {
      namespace: 'second',
      service: 'echo',
      portName: 'http',
      endpoints: [{ address: '127.0.0.1', port: echo.port }],
    });
    const url = await stack.gatewayUrl('second', 'edge', 80, 60_000);
    expect(url).toBe(`http://127.0.0.1:${80 + offset + SLOT_SPACING}`);
    await waitFor(() => answer(url, 'second.example.local'), {
      description: 'the second Gateway to serve its route',
      until: (a) => a === '200 second-1',
      timeoutMs: 30_000,
    });
    // Each NGINX serves its own Gateway only.
    expect(await answer(url, 'www.example.local')).toBe('404');
    const seed = await stack.gatewayUrl('default', 'my-gateway');
    expect(await answer(seed, 'second.example.local')).toBe('404');
  });

  it('restarts a data plane whose pod template changed (GatewayParameters), and one that crashed', async () => {
    const before = stack.kubelet.planeFor('second', 'edge');
    await apply(
      'params.yaml',
      `apiVersion: portico.dev/v1alpha1
kind: GatewayParameters
metadata: { name: small, namespace: second }
spec: { nginx: { workerProcesses: 1, workerConnections: 256 } }
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: edge, namespace: second }
spec:
  gatewayClassName: portico
  infrastructure:
    parametersRef: { group: portico.dev, kind: GatewayParameters, name: small }
  listeners: [{ name: http, protocol: HTTP, port: 80 }]
`,
    );
    const restarted = await waitFor(
      () => {
        const plane = stack.kubelet.planeFor('second', 'edge');
        return plane && plane.process.pid !== before?.process.pid ? plane : undefined;
      },
      { description: 'the data plane to restart with the new template', timeoutMs: 30_000 },
    );
    expect(restarted.slot).toBe(before?.slot);
    const url = await stack.gatewayUrl('second', 'edge', 80, 60_000);
    await waitFor(() => answer(url, 'second.example.local'), {
      description: 'the restarted data plane to serve',
      until: (a) => a === '200 second-1',
      timeoutMs: 30_000,
    });

    await stack.kubelet.kill('second', 'edge');
    await waitFor(
      () => {
        const plane = stack.kubelet.planeFor('second', 'edge');
        return plane?.process.running() && plane.process.pid !== restarted.process.pid;
      },
      { description: 'the killed data plane to be started again', timeoutMs: 30_000 },
    );
  });

  it("stops a deleted Gateway's data plane", async () => {
    const plane = stack.kubelet.planeFor('second', 'edge');
    await stack.kubectl(['delete', 'gateway', '-n', 'second', 'edge']);
    await waitFor(() => stack.kubelet.planeFor('second', 'edge') === undefined, {
      description: 'the data plane to go',
      timeoutMs: 30_000,
    });
    await waitFor(() => !processAlive(plane?.process.pid ?? -1), {
      description: 'its process to exit',
      timeoutMs: 15_000,
    });
    expect(stack.kubelet.planeFor('default', 'my-gateway')?.process.running()).toBe(true);
  });
});
