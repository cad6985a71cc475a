import { describe, expect, it } from 'vitest';
import { admitObject } from '../src/schema/index.ts';
import { gatewayExample, httpRouteExample } from './schema-examples.ts';
import type { Any } from './schema-helpers.ts';
import { G } from './schema-helpers.ts';

interface PruneCase {
  name: string;
  kind: string;
  make: () => Record<string, unknown>;
  add: (obj: Any) => void;
  unknownFields: string[];
}

const cases: PruneCase[] = [
  {
    name: 'a field of spec',
    kind: 'HTTPRoute',
    make: httpRouteExample,
    add: (o) => (o.spec.foo = 1),
    unknownFields: ['spec.foo'],
  },
  {
    name: 'fields inside list items, at any depth',
    kind: 'HTTPRoute',
    make: httpRouteExample,
    add: (o) => {
      o.spec.rules[0].bar = true;
      o.spec.rules[2].matches[0].path.extra = 'x';
      o.spec.rules[0].backendRefs[1].filters[0].responseHeaderModifier.add[0].note = 'n';
    },
    unknownFields: [
      'spec.rules[0].backendRefs[1].filters[0].responseHeaderModifier.add[0].note',
      'spec.rules[0].bar',
      'spec.rules[2].matches[0].path.extra',
    ],
  },
  {
    name: 'top-level and status fields',
    kind: 'Gateway',
    make: gatewayExample,
    add: (o) => {
      o.extra = {};
      o.status = { conditions: [], bogus: 1 };
    },
    unknownFields: ['extra', 'status.bogus'],
  },
  {
    name: 'a field of a certificateRef of a listener',
    kind: 'Gateway',
    make: gatewayExample,
    add: (o) => (o.spec.listeners[1].tls.certificateRefs[0].weight = 3),
    unknownFields: ['spec.listeners[1].tls.certificateRefs[0].weight'],
  },
];

describe('admitObject prunes unknown fields', () => {
  it.each(cases)('$kind: $name', ({ kind, make, add, unknownFields }) => {
    const expected = make();
    admitObject(G, 'v1', kind, expected);
    const obj = make();
    add(obj);
    const result = admitObject(G, 'v1', kind, obj);
    expect(result?.unknownFields).toEqual(unknownFields);
    expect(result?.causes).toEqual([]);
    const status = (expected as Any).status;
    // Pruned back to the same object (status aside where the case sets it).
    expect({ ...obj, status }).toEqual({ ...expected, status });
  });

  it('keeps any key of a map (listener tls options, labels) and leaves metadata alone', () => {
    const obj: Any = gatewayExample();
    obj.spec.listeners[1].tls.options = { 'portico.dev/anything': 'v' };
    obj.metadata.whatever = 1;
    const result = admitObject(G, 'v1', 'Gateway', obj);
    expect(result).toEqual({ unknownFields: [], causes: [] });
    expect(obj.spec.listeners[1].tls.options).toEqual({ 'portico.dev/anything': 'v' });
    expect(obj.metadata.whatever).toBe(1);
  });

  it('does not look inside a value of the wrong type', () => {
    const obj: Any = { spec: { rules: 'everything', parentRefs: [{ name: 'edge', x: 1 }] } };
    const result = admitObject(G, 'v1', 'HTTPRoute', obj);
    expect(result?.unknownFields).toEqual(['spec.parentRefs[0].x']);
    expect(result?.causes.map((c) => [c.reason, c.field])).toEqual([
      ['FieldValueTypeInvalid', 'spec.rules'],
      ['FieldValueInvalid', '<nil>'],
    ]);
  });
});
