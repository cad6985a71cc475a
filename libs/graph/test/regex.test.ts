import { describe, expect, it } from 'vitest';
import { defaultValidators as v } from '../src/index.ts';

describe('regex validator: the RE2/PCRE common subset', () => {
  it.each([
    ['literal', 'abc'],
    ['alternation', 'gold|silver'],
    ['classes and ranges', '/items/[0-9a-f]+'],
    ['negated class with escapes', '[^\\]/-]+'],
    ['non-capturing group', '/(?:v1|v2)/.*'],
    ['counted repeat', 'a{2,5}b{3}c{1,}'],
    ['lazy quantifier', 'a.*?b'],
    ['perl classes and anchors', '^\\d+\\s\\w\\b$'],
    ['hex escape', '\\x41'],
    ['repeated group without inner repeat', '(ab)+'],
  ])('accepts %s: %s', (_title, pattern) => {
    expect(v.regex(pattern)).toBeUndefined();
  });

  it.each([
    ['empty', ''],
    ['named group (would define an NGINX variable)', '(?<host>.*)'],
    ['python named group', '(?P<x>a)'],
    ['lookahead', 'a(?=b)'],
    ['inline flags', '(?i)abc'],
    ['back-reference', '(a)\\1'],
    ['nested repetition (exponential in PCRE)', '(a+)+$'],
    ['possessive', 'a++'],
    ['double quantifier', 'a**'],
    ['nothing to repeat', '*a'],
    ['bare brace', 'a{1,2'],
    ['bare closing brace', 'a}'],
    ['unbalanced group', '(a'],
    ['unbalanced close', 'a)'],
    ['unterminated class', '[abc'],
    ['\\p classes', '\\p{L}'],
    ['\\v (a class in PCRE)', 'a\\vb'],
    ['non-ASCII', 'caf\u00e9'],
    ['control character', 'a\nb'],
    ['repeat count too large', 'a{1001}'],
  ])('refuses %s: %j', (_title, pattern) => {
    expect(v.regex(pattern)).toBeDefined();
  });
});

describe('header and query validators', () => {
  it.each([
    ['plain value', 'a value, with ; { } $host " \\ chars'],
    ['empty value', ''],
  ])('headerValue accepts %s', (_title, value) => {
    expect(v.headerValue(value)).toBeUndefined();
  });
  it.each([
    ['newline (a new header or directive)', 'a\nproxy_pass http://evil;'],
    ['carriage return', 'a\rb'],
    ['NUL', 'a\u0000b'],
    ['DEL', 'a\u007fb'],
    ['C1 control', 'a\u0085b'],
    ['lone surrogate', 'a\ud800'],
    ['too long', 'x'.repeat(4097)],
  ])('headerValue refuses %s', (_title, value) => {
    expect(v.headerValue(value)).toBeDefined();
  });
  it.each([
    ['requestHeaderName', 'X-Env', true],
    ['requestHeaderName', 'x_env', false],
    ['requestHeaderName', 'x.env', false],
    ['headerName', "x.env!#$%&'*+^_`|~", true],
    ['headerName', 'x env', false],
    ['headerName', 'x:env', false],
    ['queryParamName', 'ANIMAL', true],
    ['queryParamName', 'a=b', false],
  ] as const)('%s(%j) valid: %s', (fn, value, ok) => {
    expect(v[fn](value) === undefined).toBe(ok);
  });
  it.each([
    ['/new', true],
    ['/a%20b', true],
    ['/a%3Fb', false],
    ['/a%2Fb', false],
    ['/a%0Ab', false],
    ['/a b', false],
  ])('replacementPath(%j) valid: %s', (value, ok) => {
    expect(v.replacementPath(value) === undefined).toBe(ok);
  });
  it.each([
    ['*', true],
    ['https://www.foo.com', true],
    ['https://*.bar.com', true],
    ['http://a.b:8080', true],
    ['https://a.com/path', false],
    ['javascript:alert(1)', false],
    ['https://a.com"; add_header x y', false],
  ])('corsOrigin(%j) valid: %s', (value, ok) => {
    expect(v.corsOrigin(value) === undefined).toBe(ok);
  });
});
