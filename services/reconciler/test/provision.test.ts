/**
 * Provisioning on the emulator: the seed Gateway gets its data plane (Deployment, Service,
 * Redis Secret), infrastructure labels and annotations propagate, an unchanged reconcile writes
 * nothing, the Service's load balancer address becomes the Gateway's, and the data plane goes
 * when the Gateway does or leaves our class. A name taken by someone else's object is reported.
 */
import { describe, expect, it } from 'vitest';
import { collectionPath, objectPath, RESOURCES } from '@portico/kube';
import { condition, GATEWAY_KEY, worldPerTest, type Json } from './helpers.ts';
import {
  createGatewayParameters,
  found,
  parametersRef,
  patchGateway,
  reconcileDone,
  startProvisioningWorld,
} from './provisioning.ts';

const ctx = worldPerTest({ start: startProvisioningWorld });

const run = (key = GATEWAY_KEY) => reconcileDone(ctx.world, key);
const get = (kind: 'Deployment' | 'Service' | 'Secret' | 'Gateway', name: string) =>
  ctx.world.get(kind, name, 'default') as Promise<Json>;
const exists = (kind: 'Deployment' | 'Service' | 'Secret', name: string) => found(get(kind, name));

describe('provisioning (emulator + Redis)', () => {
  it('gives an accepted Gateway its Deployment, Service and Redis Secret, owned by it', async () => {
    await run('gatewayclass/portico');
    await run();
    const gw = await get('Gateway', 'my-gateway');
    const deployment = await get('Deployment', 'portico-my-gateway');
    const service = await get('Service', 'portico-my-gateway');
    const secret = await get('Secret', 'portico-my-gateway-redis');
    for (const o of [deployment, service, secret]) {
      expect(o.metadata.ownerReferences).toEqual([
        expect.objectContaining({ kind: 'Gateway', name: 'my-gateway', uid: gw.metadata.uid }),
      ]);
      expect(o.metadata.labels['gateway.networking.k8s.io/gateway-name']).toBe('my-gateway');
    }
    const env = deployment.spec.template.spec.containers[0].env as Json[];
    expect(env.find((e) => e.name === 'PORTICO_GATEWAYS')?.value).toBe(GATEWAY_KEY);
    expect(service.spec).toMatchObject({
      type: 'LoadBalancer',
      ports: [{ name: 'tcp-80', port: 80, targetPort: 8080, protocol: 'TCP' }],
    });
    expect(Buffer.from(secret.data.REDIS_URL, 'base64').toString()).toBe(
      'redis://redis.portico-system:6379',
    );
  });

  it('writes nothing when nothing changed, and propagates infrastructure labels and annotations', async () => {
    await run();
    const before = (await get('Deployment', 'portico-my-gateway')).metadata.resourceVersion;
    await run();
    expect((await get('Deployment', 'portico-my-gateway')).metadata.resourceVersion).toBe(before);

    await patchGateway(ctx.world, {
      spec: {
        infrastructure: {
          labels: { team: 'edge' },
          annotations: { 'lb.example.com/scheme': 'internal' },
        },
      },
    });
    await run();
    for (const kind of ['Deployment', 'Service'] as const) {
      const o = await get(kind, 'portico-my-gateway');
      expect(o.metadata.labels.team).toBe('edge');
      expect(o.metadata.annotations['lb.example.com/scheme']).toBe('internal');
    }
    const template = (await get('Deployment', 'portico-my-gateway')).spec.template.metadata;
    expect(template.labels.team).toBe('edge');
  });

  it('takes the Gateway addresses from the Service load balancer, else the fallback', async () => {
    await run();
    let gw = await get('Gateway', 'my-gateway');
    expect(gw.status.addresses).toEqual([{ type: 'IPAddress', value: '127.0.0.1' }]);
    const service = await get('Service', 'portico-my-gateway');
    await ctx.world.rest.request(
      'PUT',
      `${objectPath(RESOURCES.Service, 'default', 'portico-my-gateway')}/status`,
      { body: { ...service, status: { loadBalancer: { ingress: [{ ip: '203.0.113.9' }] } } } },
    );
    await run();
    gw = await get('Gateway', 'my-gateway');
    expect(gw.status.addresses).toEqual([{ type: 'IPAddress', value: '203.0.113.9' }]);
  });

  it('removes the data plane when the Gateway leaves our class, and when it is deleted', async () => {
    await run();
    expect(await exists('Deployment', 'portico-my-gateway')).toBe(true);
    await patchGateway(ctx.world, { spec: { gatewayClassName: 'someone-else' } });
    await run();
    for (const [kind, name] of [
      ['Deployment', 'portico-my-gateway'],
      ['Service', 'portico-my-gateway'],
      ['Secret', 'portico-my-gateway-redis'],
    ] as const)
      expect(await exists(kind, name), kind).toBe(false);

    await patchGateway(ctx.world, { spec: { gatewayClassName: 'portico' } });
    await run();
    expect(await exists('Deployment', 'portico-my-gateway')).toBe(true);
    await ctx.world.rest.request('DELETE', objectPath(RESOURCES.Gateway, 'default', 'my-gateway'));
    await run();
    expect(await exists('Deployment', 'portico-my-gateway')).toBe(false);
    expect(await exists('Service', 'portico-my-gateway')).toBe(false);
  });

  it('leaves an object it does not manage alone and says so on the Gateway', async () => {
    await ctx.world.rest.request('POST', collectionPath(RESOURCES.Service, 'default'), {
      body: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'portico-my-gateway', labels: { owner: 'someone' } },
        spec: { ports: [{ port: 1234 }] },
      },
    });
    await run();
    const service = await get('Service', 'portico-my-gateway');
    expect(service.metadata.labels).toEqual({ owner: 'someone' });
    const gw = await get('Gateway', 'my-gateway');
    expect(condition(gw.status.conditions, 'Programmed')).toMatchObject({
      status: 'False',
      message: expect.stringContaining(
        'Service default/portico-my-gateway exists and is not managed by Portico',
      ),
    });
  });

  describe('parametersRef', () => {
    const params = (name: string, spec: Json) => createGatewayParameters(ctx.world, name, spec);
    const container = async () =>
      (await get('Deployment', 'portico-my-gateway')).spec.template.spec.containers[0] as Json;
    const envOf = (c: Json, name: string) => (c.env as Json[]).find((e) => e.name === name)?.value;
    const classRef = (name: string) =>
      ctx.world.rest.request('PATCH', objectPath(RESOURCES.GatewayClass, undefined, 'portico'), {
        body: { spec: { parametersRef: parametersRef(name, 'default') } },
        contentType: 'application/merge-patch+json',
      });

    it('rolls a class parameters change out to the Deployment, with Gateway parameters on top', async () => {
      await params('fleet', { replicas: 2, nginx: { workerConnections: 1024 } });
      await classRef('fleet');
      await run('gatewayclass/portico');
      await run();
      expect((await get('Deployment', 'portico-my-gateway')).spec.replicas).toBe(2);
      expect(envOf(await container(), 'PORTICO_NGINX_WORKER_CONNECTIONS')).toBe('1024');

      await ctx.world.rest.request(
        'PATCH',
        objectPath(RESOURCES.GatewayParameters, 'default', 'fleet'),
        {
          body: { spec: { replicas: 3 } },
          contentType: 'application/merge-patch+json',
        },
      );
      await run();
      const deployment = await get('Deployment', 'portico-my-gateway');
      expect(deployment.spec.replicas).toBe(3);
      expect(deployment.metadata.generation).toBe(2);

      await params('mine', {
        service: { type: 'ClusterIP' },
        resources: { limits: { memory: '1Gi' } },
      });
      await patchGateway(ctx.world, {
        spec: {
          infrastructure: { parametersRef: parametersRef('mine') },
        },
      });
      await run();
      expect((await get('Deployment', 'portico-my-gateway')).spec.replicas).toBe(3);
      expect((await container()).resources.limits).toEqual({ cpu: '2', memory: '1Gi' });
      expect((await get('Service', 'portico-my-gateway')).spec.type).toBe('ClusterIP');
    });

    it('refuses a class whose parameters are missing (InvalidParameters) and keeps the running data plane', async () => {
      await run('gatewayclass/portico');
      await run();
      const before = (await get('Deployment', 'portico-my-gateway')).metadata.resourceVersion;
      await classRef('nope');
      await run('gatewayclass/portico');
      await run();
      const gatewayClass = (await ctx.world.get('GatewayClass', 'portico')) as Json;
      expect(condition(gatewayClass.status.conditions, 'Accepted')).toMatchObject({
        status: 'False',
        reason: 'InvalidParameters',
        message: 'parametersRef portico.dev/GatewayParameters nope not found in namespace default',
      });
      const gw = await get('Gateway', 'my-gateway');
      expect(condition(gw.status.conditions, 'Accepted')).toMatchObject({ status: 'False' });
      expect((await get('Deployment', 'portico-my-gateway')).metadata.resourceVersion).toBe(before);

      await params('nope', { replicas: 2 });
      await run('gatewayclass/portico');
      await run();
      expect(
        condition(
          ((await ctx.world.get('GatewayClass', 'portico')) as Json).status.conditions,
          'Accepted',
        ),
      ).toMatchObject({ status: 'True' });
      expect((await get('Deployment', 'portico-my-gateway')).spec.replicas).toBe(2);
    });

    it('refuses a Gateway whose own parameters are another kind (InvalidParameters)', async () => {
      await patchGateway(ctx.world, {
        spec: {
          infrastructure: { parametersRef: { group: '', kind: 'ConfigMap', name: 'settings' } },
        },
      });
      await run();
      const gw = await get('Gateway', 'my-gateway');
      expect(condition(gw.status.conditions, 'Accepted')).toMatchObject({
        status: 'False',
        reason: 'InvalidParameters',
      });
      expect(await exists('Deployment', 'portico-my-gateway')).toBe(false);
    });
  });
});
