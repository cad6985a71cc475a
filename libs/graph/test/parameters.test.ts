import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { affectedKeys, buildGraph, defaultValidators, type SnapshotObject } from '../src/index.ts';
import { loadSnapshot } from './load-snapshot.ts';

const controllerName = 'portico.dev/gateway-controller';
const snapshot = loadSnapshot(
  readFileSync(join(import.meta.dirname, 'golden', 'gateway-parameters', 'in.yaml'), 'utf8'),
);
const graph = buildGraph(snapshot, { controllerName, validators: defaultValidators });

describe('data plane settings in the graph', () => {
  it.each([
    ['gateway/apps/plain', { replicas: 2, limits: { cpu: '1', memory: '512Mi' } }],
    ['gateway/apps/tuned', { replicas: 4, limits: { cpu: '1', memory: '512Mi' } }],
  ])('%s layers its class and its own parameters over the defaults', (key, expected) => {
    const dataPlane = graph.gateways.get(key)?.dataPlane;
    expect(dataPlane?.ok).toBe(true);
    if (!dataPlane?.ok) return;
    expect(dataPlane.settings.replicas).toBe(expected.replicas);
    expect(dataPlane.settings.resources.limits).toEqual(expected.limits);
  });

  it.each([
    'gateway/apps/missing',
    'gateway/apps/broken',
    'gateway/apps/configmap',
    'gateway/apps/greedy',
  ])('%s is not accepted', (key) => {
    expect(graph.gateways.get(key)?.accepted).toBe(false);
  });
});

describe('affectedKeys for GatewayParameters', () => {
  const params = (name: string, namespace: string): SnapshotObject => ({
    kind: 'GatewayParameters',
    metadata: { name, namespace },
    spec: {},
  });

  it.each([
    [
      'the class parameters: the class and all its Gateways',
      params('fleet', 'infra'),
      [
        'gateway/apps/broken',
        'gateway/apps/configmap',
        'gateway/apps/greedy',
        'gateway/apps/missing',
        'gateway/apps/plain',
        'gateway/apps/tuned',
        'gatewayclass/portico',
      ],
    ],
    ['a Gateway parameters: that Gateway', params('big', 'apps'), ['gateway/apps/tuned']],
    [
      'parameters that do not exist yet but are named',
      params('nope', 'apps'),
      ['gateway/apps/missing'],
    ],
    ['same name in another namespace: nothing', params('big', 'other'), []],
  ])('%s', (_name, object, expected) => {
    expect(affectedKeys(snapshot, null, object, { controllerName })).toEqual(expected);
  });
});
