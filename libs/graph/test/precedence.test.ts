import { describe, expect, it } from 'vitest';
import type { PathRuleKey } from '../src/index.ts';
import { comparePathRules } from '../src/index.ts';

function rule(over: Partial<PathRuleKey> & { path: PathRuleKey['path'] }): PathRuleKey {
  return {
    creationTimestamp: '2026-01-01T00:00:00Z',
    namespace: 'default',
    name: 'route',
    ruleIndex: 0,
    matchIndex: 0,
    ...over,
  };
}

const prefix = (value: string) => ({ type: 'PathPrefix' as const, value });
const exact = (value: string) => ({ type: 'Exact' as const, value });
const h = (name: string) => ({ name, type: 'Exact' as const, value: 'v' });

describe('comparePathRules: the first argument takes precedence', () => {
  it.each([
    {
      name: 'exact before prefix, even a longer prefix',
      first: rule({ path: exact('/a') }),
      second: rule({ path: prefix('/abc/def') }),
    },
    {
      name: 'exact before a regex',
      first: rule({ path: exact('/a') }),
      second: rule({ path: { type: 'RegularExpression', value: '/a.*' } }),
    },
    {
      name: 'a regex before any prefix',
      first: rule({ path: { type: 'RegularExpression', value: '/a' } }),
      second: rule({ path: prefix('/abc/def') }),
    },
    {
      name: 'a longer prefix before a method match',
      first: rule({ path: prefix('/path5') }),
      second: rule({ path: prefix('/'), method: 'PATCH' }),
    },
    {
      name: 'a method match before header matches',
      first: rule({ path: prefix('/'), method: 'GET' }),
      second: rule({ path: prefix('/'), headers: [h('a'), h('b')] }),
    },
    {
      name: 'more header matches first',
      first: rule({ path: prefix('/'), headers: [h('a'), h('b')] }),
      second: rule({ path: prefix('/'), headers: [h('a')], queryParams: [h('q'), h('r')] }),
    },
    {
      name: 'more query matches first',
      first: rule({ path: prefix('/'), queryParams: [h('q'), h('r')] }),
      second: rule({ path: prefix('/'), queryParams: [h('q')] }),
    },
    {
      name: 'conditions before the older route',
      first: rule({
        path: prefix('/'),
        headers: [h('a')],
        name: 'young',
        creationTimestamp: '2026-06-01T00:00:00Z',
      }),
      second: rule({ path: prefix('/'), name: 'old', creationTimestamp: '2025-01-01T00:00:00Z' }),
    },
    {
      name: 'longer prefix first',
      first: rule({ path: prefix('/api/v2') }),
      second: rule({ path: prefix('/api') }),
    },
    {
      name: 'older route on equal match',
      first: rule({ path: prefix('/x'), name: 'zz', creationTimestamp: '2025-12-31T23:59:59Z' }),
      second: rule({ path: prefix('/x'), name: 'aa' }),
    },
    {
      name: 'namespace alphabetical on equal age',
      first: rule({ path: prefix('/x'), namespace: 'alpha', name: 'zz' }),
      second: rule({ path: prefix('/x'), namespace: 'beta', name: 'aa' }),
    },
    {
      name: 'name alphabetical in one namespace',
      first: rule({ path: prefix('/x'), name: 'a' }),
      second: rule({ path: prefix('/x'), name: 'b' }),
    },
    {
      name: 'rule order within a route',
      first: rule({ path: prefix('/x'), ruleIndex: 0 }),
      second: rule({ path: prefix('/x'), ruleIndex: 1 }),
    },
    {
      name: 'match order within a rule',
      first: rule({ path: prefix('/x'), matchIndex: 0 }),
      second: rule({ path: prefix('/x'), matchIndex: 2 }),
    },
    {
      name: 'a dated route before one without a timestamp',
      first: rule({ path: prefix('/x'), name: 'z' }),
      second: rule({ path: prefix('/x'), name: 'a', creationTimestamp: undefined }),
    },
  ])('$name', ({ first, second }) => {
    expect(comparePathRules(first, second)).toBeLessThan(0);
    expect(comparePathRules(second, first)).toBeGreaterThan(0);
  });

  it('is zero only for the same key', () => {
    expect(comparePathRules(rule({ path: prefix('/x') }), rule({ path: prefix('/x') }))).toBe(0);
  });
});
