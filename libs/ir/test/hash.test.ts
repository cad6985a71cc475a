import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash } from '../src/index.ts';

describe('contentHash', () => {
  it('ignores key order', () => {
    expect(contentHash({ a: 1, b: { c: 2, d: 3 } })).toBe(contentHash({ b: { d: 3, c: 2 }, a: 1 }));
  });
  it('keeps array order meaningful', () => {
    expect(contentHash([1, 2])).not.toBe(contentHash([2, 1]));
  });
  it('drops undefined properties like JSON does', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });
});

/** The previous definition: JSON.stringify of a copy with sorted keys. The fast one must match it. */
function reference(value: unknown): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>)
        .filter(([, x]) => x !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return Object.fromEntries(entries.map(([k, x]) => [k, sortKeys(x)]));
    }
    return v;
  };
  return JSON.stringify(sortKeys(value));
}

describe('canonicalJson matches JSON.stringify of a key-sorted copy', () => {
  it.each([
    { name: 'scalars', value: [1, -0, 1.5e300, 'a"b\\c\n\u2028', true, false, null] },
    { name: 'non-finite numbers become null', value: { a: Number.NaN, b: Infinity } },
    {
      name: 'undefined, functions and symbols in arrays become null',
      value: [undefined, () => 1, Symbol('s')],
    },
    {
      name: 'functions and symbols dropped from objects',
      value: { f: () => 1, s: Symbol('s'), k: 1 },
    },
    {
      name: 'keys sorted by code unit, escaped',
      value: { b: 1, a: 2, B: 3, é: 4, '"q': 5, '10': 6, '9': 7 },
    },
    { name: 'nested objects in arrays', value: [{ z: [{ y: 1, x: 2 }], a: {} }, []] },
    { name: 'an object with only undefined values', value: { a: undefined } },
    { name: 'a Date, as the sorted copy saw it', value: { at: new Date(0) } },
    {
      name: 'an IR-like value',
      value: {
        version: 1,
        servers: [{ hostname: 'a.example', locations: [{ path: '/', upstream: 'u', weight: 1 }] }],
        upstreams: { u: { endpoints: ['127.0.0.1:80'], zone: undefined } },
      },
    },
  ])('$name', ({ value }) => {
    expect(canonicalJson(value)).toBe(reference(value));
  });
});
