import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SETTINGS,
  parseParameters,
  quantityValue,
  resolveParametersRef,
  resolveSettings,
} from '../src/index.ts';

describe('parseParameters', () => {
  it.each([
    ['no spec', undefined, {}],
    ['an empty spec', {}, {}],
    [
      'every field',
      {
        replicas: 3,
        resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { memory: '1Gi' } },
        service: { type: 'NodePort', externalTrafficPolicy: 'Local' },
        nginx: { workerProcesses: 2, workerConnections: 1024 },
      },
      {
        replicas: 3,
        resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { memory: '1Gi' } },
        service: { type: 'NodePort', externalTrafficPolicy: 'Local' },
        nginx: { workerProcesses: 2, workerConnections: 1024 },
      },
    ],
  ])('accepts %s', (_name, spec, expected) => {
    expect(parseParameters(spec)).toEqual({ ok: true, spec: expected });
  });

  it.each([
    ['a non-object spec', 'x', 'spec must be an object'],
    ['replicas 0', { replicas: 0 }, 'spec.replicas must be an integer from 1 to 100, got 0'],
    ['fractional replicas', { replicas: 1.5 }, 'spec.replicas must be an integer'],
    ['an unknown field', { replica: 2 }, 'spec.replica is not a known field'],
    [
      'an unknown Service type',
      { service: { type: 'ExternalName' } },
      'spec.service.type must be one of',
    ],
    [
      'a bad quantity',
      { resources: { limits: { cpu: 'two' } } },
      'spec.resources.limits.cpu must be a quantity',
    ],
    [
      'a request above its limit',
      { resources: { requests: { memory: '2Gi' }, limits: { memory: '1Gi' } } },
      'spec.resources.requests.memory (2Gi) exceeds the limit (1Gi)',
    ],
    [
      'too few worker connections',
      { nginx: { workerConnections: 10 } },
      'spec.nginx.workerConnections must be an integer from 64',
    ],
    [
      'a traffic policy on a ClusterIP Service',
      { service: { type: 'ClusterIP', externalTrafficPolicy: 'Local' } },
      'externalTrafficPolicy applies only to LoadBalancer and NodePort',
    ],
  ])('refuses %s', (_name, spec, message) => {
    const result = parseParameters(spec);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.message).toContain(message);
  });

  it('lists every problem', () => {
    const result = parseParameters({ replicas: -1, nginx: { workerProcesses: 0 } });
    expect(result.ok ? '' : result.message.split('; ')).toHaveLength(2);
  });
});

describe('quantityValue', () => {
  it.each([
    ['500m', 0.5],
    ['2', 2],
    ['1.5', 1.5],
    ['128Mi', 128 * 2 ** 20],
    ['1G', 1e9],
    ['1e3', undefined],
    ['-1', undefined],
  ])('%s is %s', (text, value) => {
    expect(quantityValue(text)).toBe(value);
  });
});

describe('resolveSettings', () => {
  it('gives the defaults without layers', () => {
    expect(resolveSettings([])).toEqual({ ok: true, settings: DEFAULT_SETTINGS });
  });

  it('lets the Gateway layer override the class layer field by field', () => {
    const result = resolveSettings([
      { replicas: 2, service: { type: 'NodePort' }, resources: { limits: { memory: '1Gi' } } },
      { replicas: 4, resources: { requests: { cpu: '1' } } },
    ]);
    expect(result).toEqual({
      ok: true,
      settings: {
        ...DEFAULT_SETTINGS,
        replicas: 4,
        serviceType: 'NodePort',
        resources: {
          requests: { cpu: '1', memory: '128Mi' },
          limits: { cpu: '2', memory: '1Gi' },
        },
      },
    });
  });

  it('refuses a merged request above the merged limit', () => {
    const result = resolveSettings([
      { resources: { limits: { cpu: '1' } } },
      { resources: { requests: { cpu: '1500m' } } },
    ]);
    expect(result).toEqual({
      ok: false,
      message: 'the merged cpu request (1500m) exceeds the merged limit (1)',
    });
  });
});

describe('resolveParametersRef', () => {
  const objects = [
    { metadata: { name: 'big', namespace: 'infra' }, spec: { replicas: 3 } },
    { metadata: { name: 'broken', namespace: 'infra' }, spec: { replicas: 0 } },
  ];
  const ref = (over: Record<string, string> = {}) => ({
    group: 'portico.dev',
    kind: 'GatewayParameters',
    name: 'big',
    namespace: 'infra',
    ...over,
  });

  it.each([
    ['a class reference with a namespace', ref(), undefined, { ok: true, spec: { replicas: 3 } }],
    [
      'a Gateway reference in its own namespace',
      ref({ namespace: 'ignored' }),
      'infra',
      { ok: true, spec: { replicas: 3 } },
    ],
  ])('resolves %s', (_name, r, local, expected) => {
    expect(resolveParametersRef(r, local, objects)).toEqual(expected);
  });

  it.each([
    [
      'another group',
      ref({ group: 'example.com' }),
      undefined,
      'only portico.dev/GatewayParameters is supported',
    ],
    [
      'a ConfigMap',
      ref({ group: '', kind: 'ConfigMap' }),
      undefined,
      'only portico.dev/GatewayParameters is supported',
    ],
    [
      'a class reference without a namespace',
      { group: 'portico.dev', kind: 'GatewayParameters', name: 'big' },
      undefined,
      'a namespace is required',
    ],
    [
      'a missing object',
      ref({ name: 'nope' }),
      undefined,
      'GatewayParameters nope not found in namespace infra',
    ],
    ['a Gateway reference to another namespace', ref(), 'apps', 'not found in namespace apps'],
    [
      'invalid content',
      ref({ name: 'broken' }),
      undefined,
      'is invalid: spec.replicas must be an integer',
    ],
  ])('refuses %s', (_name, r, local, message) => {
    const result = resolveParametersRef(r, local, objects);
    expect(result.ok ? '' : result.message).toContain(message);
  });
});
