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
