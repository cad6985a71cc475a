import { describe, expect, it } from 'vitest';
import { intersectHostnames, servedHostnames } from '../src/index.ts';

describe('intersectHostnames', () => {
  it.each([
    {
      name: 'no listener hostname takes the route name',
      l: undefined,
      r: 'a.example.com',
      want: 'a.example.com',
    },
    { name: 'equal exact names', l: 'a.example.com', r: 'a.example.com', want: 'a.example.com' },
    { name: 'different exact names', l: 'a.example.com', r: 'b.example.com', want: undefined },
    {
      name: 'listener wildcard covers one label',
      l: '*.example.com',
      r: 'a.example.com',
      want: 'a.example.com',
    },
    {
      name: 'listener wildcard covers several labels',
      l: '*.example.com',
      r: 'a.b.example.com',
      want: 'a.b.example.com',
    },
    {
      name: 'wildcard never matches the bare suffix',
      l: '*.example.com',
      r: 'example.com',
      want: undefined,
    },
    {
      name: 'suffix must be label-aligned',
      l: '*.example.com',
      r: 'badexample.com',
      want: undefined,
    },
    {
      name: 'route wildcard covers listener name',
      l: 'a.example.com',
      r: '*.example.com',
      want: 'a.example.com',
    },
    { name: 'route wildcard elsewhere', l: 'a.example.org', r: '*.example.com', want: undefined },
    {
      name: 'narrower route wildcard wins',
      l: '*.example.com',
      r: '*.a.example.com',
      want: '*.a.example.com',
    },
    {
      name: 'narrower listener wildcard wins',
      l: '*.a.example.com',
      r: '*.com',
      want: '*.a.example.com',
    },
    { name: 'equal wildcards', l: '*.example.com', r: '*.example.com', want: '*.example.com' },
    { name: 'unrelated wildcards', l: '*.example.com', r: '*.example.org', want: undefined },
  ])('$name', ({ l, r, want }) => {
    expect(intersectHostnames(l, r)).toBe(want);
  });
});

describe('servedHostnames', () => {
  it.each([
    { name: 'neither side names a host: any host', l: undefined, r: [], want: ['*'] },
    { name: 'only the listener names one', l: '*.example.com', r: [], want: ['*.example.com'] },
    {
      name: 'intersections, sorted and unique',
      l: '*.example.com',
      r: ['z.example.com', 'a.example.com', 'a.example.com', 'x.org'],
      want: ['a.example.com', 'z.example.com'],
    },
    { name: 'nothing intersects', l: 'a.example.com', r: ['b.example.com'], want: [] },
  ])('$name', ({ l, r, want }) => {
    expect(servedHostnames(l, r)).toEqual(want);
  });
});
