import { describe, expect, it } from 'vitest';
import { canonicalEqual, canonicalJson, contentHash } from '../src/index.ts';

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

describe('canonicalEqual agrees with comparing canonicalJson', () => {
  const fn = () => 1;
  it.each([
    { name: 'equal scalars', a: 1, b: 1 },
    { name: 'different scalars', a: 1, b: '1' },
    { name: '-0 and 0', a: -0, b: 0 },
    { name: 'NaN and null', a: Number.NaN, b: null },
    { name: 'undefined and a function at the top', a: undefined, b: fn },
    { name: 'key order', a: { a: 1, b: { c: [1, 2] } }, b: { b: { c: [1, 2] }, a: 1 } },
    { name: 'an undefined property and a missing one', a: { a: 1, x: undefined }, b: { a: 1 } },
    { name: 'a function property and a missing one', a: { a: 1, f: fn }, b: { a: 1 } },
    { name: 'a missing key against a null one', a: { a: 1 }, b: { a: 1, x: null } },
    { name: 'same key count, different keys', a: { a: 1, b: 2 }, b: { a: 1, c: 2 } },
    { name: 'undefined in an array against null', a: [undefined, 1], b: [null, 1] },
    { name: 'array order', a: [1, 2], b: [2, 1] },
    { name: 'array length', a: [1], b: [1, 1] },
    { name: 'an array against an object', a: [], b: {} },
    { name: 'an object against null', a: {}, b: null },
    { name: 'a Date against an empty object', a: new Date(0), b: {} },
    {
      name: 'a route status with one condition changed',
      a: {
        parents: [
          { parentRef: { name: 'gw' }, conditions: [{ type: 'Accepted', status: 'True' }] },
        ],
      },
      b: {
        parents: [
          { parentRef: { name: 'gw' }, conditions: [{ type: 'Accepted', status: 'False' }] },
        ],
      },
    },
  ])('$name', ({ a, b }) => {
    expect(canonicalEqual(a, b)).toBe(canonicalJson(a) === canonicalJson(b));
    expect(canonicalEqual(b, a)).toBe(canonicalJson(a) === canonicalJson(b));
  });
});
