import { describe, expect, it } from 'vitest';
import type { LabelSelector } from '../src/index.ts';
import { selectorMatches } from '../src/index.ts';

const labels = { env: 'prod', team: 'a' };

describe('selectorMatches', () => {
  it.each<{ name: string; selector: LabelSelector; want: boolean }>([
    { name: 'empty selector matches all', selector: {}, want: true },
    { name: 'matchLabels hit', selector: { matchLabels: { env: 'prod' } }, want: true },
    { name: 'matchLabels miss', selector: { matchLabels: { env: 'dev' } }, want: false },
    {
      name: 'In',
      selector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['dev', 'prod'] }] },
      want: true,
    },
    {
      name: 'NotIn',
      selector: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] },
      want: false,
    },
    {
      name: 'NotIn on a missing key',
      selector: { matchExpressions: [{ key: 'x', operator: 'NotIn', values: ['prod'] }] },
      want: true,
    },
    {
      name: 'Exists',
      selector: { matchExpressions: [{ key: 'team', operator: 'Exists' }] },
      want: true,
    },
    {
      name: 'DoesNotExist',
      selector: { matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] },
      want: false,
    },
    {
      name: 'labels and expressions are ANDed',
      selector: {
        matchLabels: { team: 'a' },
        matchExpressions: [{ key: 'env', operator: 'In', values: ['dev'] }],
      },
      want: false,
    },
    {
      name: 'unknown operator selects nothing',
      selector: { matchExpressions: [{ key: 'env', operator: 'Like' }] },
      want: false,
    },
  ])('$name', ({ selector, want }) => {
    expect(selectorMatches(selector, labels)).toBe(want);
  });
});
