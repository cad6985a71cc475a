import { describe, expect, it } from 'vitest';
import { admitObject } from '../src/schema/index.ts';
import { EXAMPLES } from './schema-examples.ts';

const cases = EXAMPLES.flatMap((e) => e.versions.map((version) => ({ ...e, version })));

describe('admitObject accepts valid objects', () => {
  it.each(cases)('$name $version', ({ group, version, kind, make }) => {
    const result = admitObject(group, version, kind, make());
    expect(result).toEqual({ unknownFields: [], causes: [] });
  });
});

describe('admitObject is idempotent', () => {
  it.each(cases)(
    '$name $version: a second admission changes nothing',
    ({ group, version, kind, make }) => {
      const obj = make();
      admitObject(group, version, kind, obj);
      const once = structuredClone(obj);
      const again = admitObject(group, version, kind, obj);
      expect(again).toEqual({ unknownFields: [], causes: [] });
      expect(obj).toEqual(once);
    },
  );
});

describe('admitObject leaves the server its part', () => {
  it('returns undefined for kinds and versions it has no schema for', () => {
    expect(admitObject('', 'v1', 'Service', { spec: {} })).toBeUndefined();
    expect(admitObject('gateway.networking.k8s.io', 'v9', 'Gateway', { spec: {} })).toBeUndefined();
    expect(
      admitObject('gateway.networking.k8s.io', 'v1', 'XBackend', { spec: {} }),
    ).toBeUndefined();
  });

  it('does not touch apiVersion, kind or metadata', () => {
    const obj = { ...EXAMPLES[0]?.make(), metadata: { name: 'x', bogus: { a: 1 } }, kind: 7 };
    const result = admitObject('gateway.networking.k8s.io', 'v1', 'GatewayClass', obj);
    expect(result?.causes).toEqual([]);
    expect(obj.metadata).toEqual({ name: 'x', bogus: { a: 1 } });
    expect(obj.kind).toBe(7);
  });
});
