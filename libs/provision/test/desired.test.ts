import { describe, expect, it } from 'vitest';
import {
  dataPlaneName,
  DEFAULT_SETTINGS,
  DESIRED_HASH_ANNOTATION,
  desiredDataPlane,
  gatewayNameLabel,
  provisionedGatewayKey,
  REDIS_HASH_ANNOTATION,
  serviceAddresses,
  type DataPlaneEnvironment,
  type GatewayInfo,
} from '../src/index.ts';

const gateway: GatewayInfo = {
  namespace: 'shop',
  name: 'edge',
  uid: 'uid-1',
  listeners: [
    { port: 443, protocol: 'HTTPS' },
    { port: 80, protocol: 'HTTP' },
    { port: 80, protocol: 'HTTP' },
    { port: 53, protocol: 'UDP' },
  ],
  infrastructure: {
    labels: { team: 'payments', 'app.kubernetes.io/name': 'mine' },
    annotations: { 'cloud.example/lb-type': 'nlb' },
  },
};
const env: DataPlaneEnvironment = {
  image: 'ghcr.io/portico-dev/portico-dataplane:0.1.0',
  redisUrl: 'redis://portico-redis.portico-system:6379',
  redisPrefix: 'portico',
  portOffset: 8000,
  logLevel: 'info',
};

function objects(g = gateway, settings = DEFAULT_SETTINGS, e = env) {
  const result = desiredDataPlane(g, settings, e);
  if (!result.ok) throw new Error(result.message);
  return result.objects;
}

// Untyped navigation of the generated JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('desiredDataPlane', () => {
  it('names, labels and owns every object after the Gateway', () => {
    const { secret, deployment, service } = objects();
    for (const o of [secret, deployment, service]) {
      expect(o.metadata.namespace).toBe('shop');
      expect(o.metadata.ownerReferences).toEqual([
        {
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'Gateway',
          name: 'edge',
          uid: 'uid-1',
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
      expect(o.metadata.labels).toMatchObject({
        'gateway.networking.k8s.io/gateway-name': 'edge',
        'app.kubernetes.io/managed-by': 'portico',
        team: 'payments',
      });
      expect(o.metadata.annotations['cloud.example/lb-type']).toBe('nlb');
    }
    expect([deployment.metadata.name, service.metadata.name, secret.metadata.name]).toEqual([
      'portico-edge',
      'portico-edge',
      'portico-edge-redis',
    ]);
  });

  it('keeps its own selector labels over infrastructure labels', () => {
    const { deployment, service } = objects();
    const selector = {
      'app.kubernetes.io/component': 'dataplane',
      'app.kubernetes.io/instance': 'portico-edge',
      'app.kubernetes.io/name': 'portico',
    };
    expect((deployment.spec as Json).selector.matchLabels).toEqual(selector);
    expect((service.spec as Json).selector).toEqual(selector);
    expect((deployment.spec as Json).template.metadata.labels).toMatchObject({
      ...selector,
      team: 'payments',
    });
  });

  it('exposes each distinct listener port, shifted by the offset inside the pod', () => {
    const { deployment, service } = objects();
    expect((service.spec as Json).ports).toEqual([
      { name: 'udp-53', port: 53, targetPort: 8053, protocol: 'UDP' },
      { name: 'tcp-80', port: 80, targetPort: 8080, protocol: 'TCP' },
      { name: 'tcp-443', port: 443, targetPort: 8443, protocol: 'TCP' },
    ]);
    // Not declared on the container: a listener change reloads NGINX, it rolls no pods.
    const container = (deployment.spec as Json).template.spec.containers[0];
    expect(container.ports).toEqual([{ name: 'ops', containerPort: 8083, protocol: 'TCP' }]);
    const moreListeners = {
      ...gateway,
      listeners: [...gateway.listeners, { port: 8443, protocol: 'HTTPS' }],
    };
    expect((objects(moreListeners).deployment.spec as Json).template).toEqual(
      (deployment.spec as Json).template,
    );
  });

  it('runs the renderer for this Gateway only, with Redis from the Secret', () => {
    const container = (objects().deployment.spec as Json).template.spec.containers[0];
    const env = Object.fromEntries(
      container.env.map((e: Json) => [e.name, e.value ?? e.valueFrom]),
    );
    expect(env).toMatchObject({
      PORTICO_GATEWAYS: 'gateway/shop/edge',
      PORTICO_PORT_OFFSET: '8000',
      PORTICO_REDIS_PREFIX: 'portico',
      PORTICO_NGINX_WORKER_PROCESSES: 'auto',
      PORTICO_NGINX_WORKER_CONNECTIONS: '4096',
      REDIS_URL: { secretKeyRef: { name: 'portico-edge-redis', key: 'REDIS_URL' } },
      PORTICO_RENDERER_ID: { fieldRef: { fieldPath: 'metadata.name' } },
    });
    expect(JSON.stringify(container.env)).not.toContain('redis://');
    expect(objects().secret.stringData).toEqual({
      REDIS_URL: 'redis://portico-redis.portico-system:6379',
    });
  });

  it('applies the settings: replicas, resources, Service type, NGINX workers', () => {
    const settings = {
      ...DEFAULT_SETTINGS,
      replicas: 3,
      serviceType: 'NodePort' as const,
      externalTrafficPolicy: 'Local' as const,
      workerProcesses: 2,
      workerConnections: 512,
      resources: { requests: { cpu: '1' }, limits: { cpu: '2' } },
    };
    const { deployment, service } = objects(gateway, settings);
    const spec = deployment.spec as Json;
    expect(spec.replicas).toBe(3);
    expect(spec.template.spec.containers[0].resources).toEqual(settings.resources);
    expect((service.spec as Json).type).toBe('NodePort');
    expect((service.spec as Json).externalTrafficPolicy).toBe('Local');
    const names = spec.template.spec.containers[0].env.map((e: Json) => `${e.name}=${e.value}`);
    expect(names).toContain('PORTICO_NGINX_WORKER_PROCESSES=2');
    expect(names).toContain('PORTICO_NGINX_WORKER_CONNECTIONS=512');
  });

  it('hardens the pod like the rest of Portico', () => {
    const pod = (objects().deployment.spec as Json).template.spec;
    // The token of its own ServiceAccount, which may only get its certificate Secrets.
    expect(pod.serviceAccountName).toBe('portico-edge');
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
  });

  it('is deterministic, and its hash moves with the content', () => {
    const hash = (o: ReturnType<typeof objects>) =>
      [o.secret, o.deployment, o.service].map(
        (x) => x.metadata.annotations[DESIRED_HASH_ANNOTATION],
      );
    const listenersReordered = { ...gateway, listeners: [...gateway.listeners].reverse() };
    expect(hash(objects(listenersReordered))).toEqual(hash(objects()));
    const moreReplicas = hash(objects(gateway, { ...DEFAULT_SETTINGS, replicas: 2 }));
    expect(moreReplicas[1]).not.toBe(hash(objects())[1]);
    expect(moreReplicas[2]).toBe(hash(objects())[2]);
  });

  it('rolls the pods when the Redis URL changes', () => {
    const annotation = (e: DataPlaneEnvironment) =>
      (objects(gateway, DEFAULT_SETTINGS, e).deployment.spec as Json).template.metadata.annotations[
        REDIS_HASH_ANNOTATION
      ];
    expect(annotation({ ...env, redisUrl: 'redis://other:6379' })).not.toBe(annotation(env));
  });

  it('refuses a listener port that the offset pushes past 65535', () => {
    const result = desiredDataPlane(
      { ...gateway, listeners: [{ port: 60000, protocol: 'HTTP' }] },
      DEFAULT_SETTINGS,
      env,
    );
    expect(result).toEqual({
      ok: false,
      message: "listener port 60000 plus the data plane's port offset 8000 exceeds 65535",
    });
  });
});

describe('names', () => {
  it.each([
    ['edge', 'portico-edge'],
    ['my.gateway', /^portico-my-gateway-[0-9a-f]{8}$/],
    ['a'.repeat(80), /^portico-a{46}-[0-9a-f]{8}$/],
  ])('dataPlaneName(%s)', (name, expected) => {
    const result = dataPlaneName(name);
    expect(result.length).toBeLessThanOrEqual(63);
    if (typeof expected === 'string') expect(result).toBe(expected);
    else expect(result).toMatch(expected);
  });

  it('keeps gateway-name label values within 63 characters', () => {
    expect(gatewayNameLabel('edge')).toBe('edge');
    expect(gatewayNameLabel('x'.repeat(100))).toMatch(/^x{54}-[0-9a-f]{8}$/);
  });

  it('finds the Gateway of a provisioned object, and nothing for others', () => {
    const { service } = objects();
    expect(provisionedGatewayKey(service)).toBe('gateway/shop/edge');
    expect(
      provisionedGatewayKey({ metadata: { namespace: 'shop', labels: { app: 'x' } } }),
    ).toBeUndefined();
  });
});

describe('serviceAddresses', () => {
  it.each([
    ['no Service', undefined, []],
    [
      'a LoadBalancer without ingress yet',
      { spec: { type: 'LoadBalancer', clusterIP: '10.0.0.1' }, status: { loadBalancer: {} } },
      [],
    ],
    [
      'a LoadBalancer with an IP and a hostname',
      {
        spec: { type: 'LoadBalancer' },
        status: {
          loadBalancer: { ingress: [{ ip: '203.0.113.7' }, { hostname: 'lb.example.com' }] },
        },
      },
      [
        { type: 'IPAddress', value: '203.0.113.7' },
        { type: 'Hostname', value: 'lb.example.com' },
      ],
    ],
    [
      'a ClusterIP Service',
      { spec: { type: 'ClusterIP', clusterIP: '10.0.0.9' } },
      [{ type: 'IPAddress', value: '10.0.0.9' }],
    ],
    ['a headless Service', { spec: { type: 'ClusterIP', clusterIP: 'None' } }, []],
    ['a NodePort Service', { spec: { type: 'NodePort', clusterIP: '10.0.0.9' } }, []],
  ])('%s', (_name, service, expected) => {
    expect(serviceAddresses(service)).toEqual(expected);
  });
});
