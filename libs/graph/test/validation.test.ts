import { describe, expect, it } from 'vitest';
import { defaultValidators as v } from '../src/index.ts';

describe('hostname validator', () => {
  it.each(['example.com', 'a-b.example.com', '*.example.com', 'localhost', 'x1.y2'])(
    'accepts %s',
    (h) => {
      expect(v.hostname(h)).toBeUndefined();
    },
  );
  it.each([
    '',
    '*',
    'a..b',
    '-a.com',
    'a-.com',
    'Upper.com',
    'a_b.com',
    '*.*.com',
    'a.*.com',
    'evil.com;return 200',
    'a b.com',
    '1.2.3.4',
    `${'a'.repeat(64)}.com`,
  ])('refuses %j', (h) => {
    expect(v.hostname(h)).toBeDefined();
  });
});

describe('path validator', () => {
  it.each(['/', '/api', '/a-b_c.d~e', '/a%20b', '/x/y:z@w!&()*+,='])('accepts %s', (p) => {
    expect(v.pathValue(p)).toBeUndefined();
  });
  it.each([
    'api',
    '/a b',
    '/a\tb',
    '/a"b',
    "/a'b",
    '/a{b}',
    '/a;b',
    '/$host',
    '/a\\b',
    '/a\nb',
    '/a\u0000b',
    '/a?b',
    '/a#b',
    '/a%zz',
    '/a//b',
    '/a/./b',
    '/a/../b',
    '/a/..',
    '/a%2fb',
  ])('refuses %j', (p) => {
    expect(v.pathValue(p)).toBeDefined();
  });
});

describe('other validators', () => {
  it.each([
    { name: 'IPv4 address', ok: v.endpointAddress('10.0.0.1', 'IPv4') },
    { name: 'IPv6 address', ok: v.endpointAddress('fd00::1', 'IPv6') },
    { name: 'port 1', ok: v.port(1) },
    { name: 'port 65535', ok: v.port(65535) },
    { name: 'weight 0', ok: v.weight(0) },
  ])('accepts $name', ({ ok }) => {
    expect(ok).toBeUndefined();
  });
  it.each([
    { name: 'IPv6 as IPv4', bad: v.endpointAddress('fd00::1', 'IPv4') },
    { name: 'a name as IPv4', bad: v.endpointAddress('evil;', 'IPv4') },
    { name: 'FQDN slices', bad: v.endpointAddress('a.example.com', 'FQDN') },
    { name: 'port 0', bad: v.port(0) },
    { name: 'port 70000', bad: v.port(70000) },
    { name: 'fractional weight', bad: v.weight(1.5) },
    { name: 'negative weight', bad: v.weight(-1) },
  ])('refuses $name', ({ bad }) => {
    expect(bad).toBeDefined();
  });
});
