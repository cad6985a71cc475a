/**
 * `writeEndpointSlice` against the API emulator (the real protocol): the slice a local backend
 * gets is the one a cluster's endpoints controller would write, and writing it again updates it.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@portico/kube-emulator';
import { KubeRest, objectPath, RESOURCES, type KubeObject } from '@portico/kube';
import { makeTempDir, removeTempDir } from '@portico/testing';
import { writeEndpointSlice } from '../src/endpoints.ts';

let emulator: Emulator;
let rest: KubeRest;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  dir = await makeTempDir('local-stack-endpoints');
  await emulator.writeKubeconfig(join(dir, 'kubeconfig'));
  rest = KubeRest.fromPath(join(dir, 'kubeconfig'));
});

afterAll(async () => {
  await emulator?.close();
  await removeTempDir(dir);
});

interface Slice extends KubeObject {
  addressType: string;
  endpoints: Array<{ addresses: string[]; conditions: { ready: boolean } }>;
  ports: Array<{ name: string; port: number; protocol: string }>;
}

const read = (namespace: string, name: string) =>
  rest.request<Slice>('GET', objectPath(RESOURCES.EndpointSlice, namespace, name));

describe('writeEndpointSlice', () => {
  it('creates the slice of a Service, labelled with its name, named <service>-local', async () => {
    await writeEndpointSlice(rest, {
      namespace: 'default',
      service: 'web',
      portName: 'http',
      endpoints: [{ address: '127.0.0.1', port: 31001 }],
    });
    const slice = await read('default', 'web-local');
    expect(slice.metadata.labels).toEqual({ 'kubernetes.io/service-name': 'web' });
    expect(slice.addressType).toBe('IPv4');
    expect(slice.endpoints).toEqual([{ addresses: ['127.0.0.1'], conditions: { ready: true } }]);
    expect(slice.ports).toEqual([{ name: 'http', port: 31001, protocol: 'TCP' }]);
  });

  it('updates the existing slice in place (a new port, a not-ready endpoint)', async () => {
    const before = await read('default', 'web-local');
    await writeEndpointSlice(rest, {
      namespace: 'default',
      service: 'web',
      portName: 'http',
      endpoints: [
        { address: '127.0.0.1', port: 31002 },
        { address: '127.0.0.2', port: 31002, ready: false },
      ],
    });
    const after = await read('default', 'web-local');
    expect(after.metadata.uid).toBe(before.metadata.uid);
    expect(after.metadata.resourceVersion).not.toBe(before.metadata.resourceVersion);
    expect(after.ports).toEqual([{ name: 'http', port: 31002, protocol: 'TCP' }]);
    expect(after.endpoints.map((e) => `${e.addresses.join()} ${e.conditions.ready}`)).toEqual([
      '127.0.0.1 true',
      '127.0.0.2 false',
    ]);
  });

  it('takes an explicit name', async () => {
    await writeEndpointSlice(rest, {
      namespace: 'default',
      service: 'web',
      portName: 'admin',
      name: 'web-admin',
      endpoints: [{ address: '127.0.0.1', port: 31003 }],
    });
    expect((await read('default', 'web-admin')).ports[0]?.name).toBe('admin');
  });

  it('refuses endpoints on different ports (one slice carries one port per name)', async () => {
    await expect(
      writeEndpointSlice(rest, {
        namespace: 'default',
        service: 'mixed',
        portName: 'http',
        endpoints: [
          { address: '127.0.0.1', port: 1 },
          { address: '127.0.0.1', port: 2 },
        ],
      }),
    ).rejects.toThrow(/one port per name/);
  });
});
