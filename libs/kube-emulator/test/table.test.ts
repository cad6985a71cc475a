import { describe, expect, it } from 'vitest';
import { evaluateJsonPath } from '../src/jsonpath.ts';
import { findKind, type KindInfo } from '../src/kinds.ts';
import { buildTable, cellFor, tableVersionFromAccept } from '../src/table.ts';
import { humanDuration } from '../src/util.ts';

const gateway = {
  metadata: { name: 'gw', creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: { gatewayClassName: 'portico', hostnames: ['a.example', 'b.example'] },
  status: {
    addresses: [{ value: '10.0.0.1' }, { value: '10.0.0.2' }],
    conditions: [
      { type: 'Accepted', status: 'True' },
      { type: 'Programmed', status: 'False' },
    ],
  },
};

describe('JSONPath', () => {
  it.each([
    ['field', '.spec.gatewayClassName', ['portico']],
    ['braces', '{.spec.gatewayClassName}', ['portico']],
    ['wildcard', '.status.addresses[*].value', ['10.0.0.1', '10.0.0.2']],
    ['index', '.status.addresses[1].value', ['10.0.0.2']],
    ['filter', '.status.conditions[?(@.type=="Programmed")].status', ['False']],
    ['filter without match', '.status.conditions[?(@.type=="Ready")].status', []],
    ['quoted key', ".metadata['name']", ['gw']],
    ['missing', '.spec.nothing.here', []],
  ])('%s: %s', (_name, expr, expected) => {
    expect(evaluateJsonPath(expr, gateway)).toEqual(expected);
  });
});

describe('age', () => {
  it.each([
    [5_000, '5s'],
    [119_000, '119s'],
    [200_000, '3m20s'],
    [3_600_000 * 5, '5h'],
    [3_600_000 * 5 + 60_000 * 7, '5h7m'],
    [3_600_000 * 30, '30h'],
    [86_400_000 * 3 + 3_600_000 * 2, '3d2h'],
    [86_400_000 * 30, '30d'],
  ])('%i ms is %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

describe('table', () => {
  const info = findKind('gateway.networking.k8s.io', 'v1', 'gateways') as KindInfo;
  const now = new Date('2026-01-01T00:05:00Z');

  it('has the CRD printer columns after Name', () => {
    const table = buildTable(info, [gateway], {
      now,
      apiVersion: 'meta.k8s.io/v1',
      includeObject: 'Metadata',
      resourceVersion: '7',
    });
    expect((table.columnDefinitions as { name: string }[]).map((c) => c.name)).toEqual([
      'Name',
      'Class',
      'Address',
      'Programmed',
      'Age',
    ]);
    expect(table.rows).toEqual([
      {
        cells: ['gw', 'portico', '10.0.0.1', 'False', '5m'],
        object: {
          kind: 'PartialObjectMetadata',
          apiVersion: 'meta.k8s.io/v1',
          metadata: gateway.metadata,
        },
      },
    ]);
  });

  it('prints arrays as JSON in string columns and null for missing values', () => {
    const route = findKind('gateway.networking.k8s.io', 'v1', 'httproutes') as KindInfo;
    const [hostnames] = route.printerColumns;
    expect(hostnames && cellFor(hostnames, gateway, now)).toBe('["a.example","b.example"]');
    expect(hostnames && cellFor(hostnames, { metadata: {} }, now)).toBeNull();
  });

  it.each([
    [
      'kubectl get',
      'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json',
      'meta.k8s.io/v1',
    ],
    ['v1beta1 only', 'application/json;as=Table;v=v1beta1;g=meta.k8s.io', 'meta.k8s.io/v1beta1'],
    ['plain JSON', 'application/json', undefined],
    ['no header', undefined, undefined],
  ])('Accept of %s', (_name, accept, expected) => {
    expect(tableVersionFromAccept(accept)).toBe(expected);
  });
});
