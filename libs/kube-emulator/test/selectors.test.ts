import { describe, expect, it } from 'vitest';
import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  SelectorError,
} from '../src/selectors.ts';

const obj = (labels: Record<string, string>) => ({
  metadata: { name: 'a', namespace: 'ns1', labels },
});

describe('label selectors', () => {
  it.each([
    ['empty selects everything', '', { app: 'x' }, true],
    ['equality', 'app=web', { app: 'web' }, true],
    ['double equals', 'app==web', { app: 'api' }, false],
    ['inequality holds when absent', 'app!=web', {}, true],
    ['inequality', 'app!=web', { app: 'web' }, false],
    ['in', 'env in (prod, staging)', { env: 'staging' }, true],
    ['in misses', 'env in (prod,staging)', { env: 'dev' }, false],
    ['in needs the key', 'env in (prod)', {}, false],
    ['notin holds when absent', 'env notin (prod)', {}, true],
    ['notin', 'env notin (prod)', { env: 'prod' }, false],
    ['exists', 'tier', { tier: 'x' }, true],
    ['not exists', '!tier', { tier: 'x' }, false],
    [
      'conjunction with a set inside',
      'app=web,env in (a,b),!legacy',
      { app: 'web', env: 'b' },
      true,
    ],
    [
      'prefixed key',
      'kubernetes.io/metadata.name=default',
      { 'kubernetes.io/metadata.name': 'default' },
      true,
    ],
  ])('%s: %s', (_name, selector, labels, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), obj(labels))).toBe(expected);
  });

  it.each([['app=(x'], ['a b c'], ['=x']])('refuses %s', (selector) => {
    expect(() => parseLabelSelector(selector)).toThrow(SelectorError);
  });
});

describe('field selectors', () => {
  it.each([
    ['name', 'metadata.name=a', true],
    ['namespace mismatch', 'metadata.namespace=other', false],
    ['negation', 'metadata.namespace!=other', true],
    ['both', 'metadata.name==a,metadata.namespace=ns1', true],
  ])('%s: %s', (_name, selector, expected) => {
    expect(matchesFields(parseFieldSelector(selector), obj({}))).toBe(expected);
  });

  it('refuses set-based syntax', () => {
    expect(() => parseFieldSelector('metadata.name in (a)')).toThrow(SelectorError);
  });
});
