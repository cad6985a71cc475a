import { describe, expect, it } from 'vitest';
import { canonicalHeaderKey, describeRequest } from '../src/index.ts';
import { echoSetHeaders, parseDelay } from '../src/echo/request-info.ts';

describe('canonicalHeaderKey (Go textproto rules)', () => {
  it.each([
    ['x-foo', 'X-Foo'],
    ['X-FOO-BAR', 'X-Foo-Bar'],
    ['content-type', 'Content-Type'],
    ['x-1a', 'X-1a'],
    ['foo bar', 'foo bar'],
    ['x--y', 'X--Y'],
  ])('%s -> %s', (name, expected) => {
    expect(canonicalHeaderKey(name)).toBe(expected);
  });
});

describe('parseDelay (Go durations)', () => {
  it.each([
    ['1s', 1000],
    ['150ms', 150],
    ['1m30s', 90_000],
    ['0.5s', 500],
    ['10', undefined],
    ['1s junk', undefined],
    ['', undefined],
  ])('%j -> %j', (text, expected) => {
    expect(parseDelay(text)).toBe(expected);
  });
});

describe('echoSetHeaders', () => {
  it.each([
    { name: 'one header', values: ['X-A: 1'], expected: [['X-A', '1']] },
    {
      name: 'a list',
      values: ['X-A: 1, X-B: 2'],
      expected: [
        ['X-A', '1'],
        ['X-B', '2'],
      ],
    },
    { name: 'repeats joined', values: ['X-A: 1', 'X-A: 2'], expected: [['X-A', '1,2']] },
  ])('$name', ({ values, expected }) => {
    expect(echoSetHeaders(values)).toEqual(expected);
  });
});

describe('describeRequest', () => {
  const context = { namespace: 'ns', ingress: '', service: 'svc', pod: 'pod' };

  it('moves Host out of headers and sorts header names', () => {
    const body = describeRequest(
      {
        method: 'GET',
        target: '/',
        httpVersion: '1.1',
        rawHeaders: ['x-b', '2', 'Host', 'h.example', 'x-a', '1'],
      },
      context,
      '3000',
    );
    expect(body.host).toBe('h.example');
    expect(Object.keys(body.headers)).toEqual(['X-A', 'X-B']);
  });

  it('gives the same JSON for the same request', () => {
    const request = {
      method: 'GET',
      target: '/p?z=1&a=2',
      httpVersion: '1.1',
      rawHeaders: ['z', '1', 'a', '2'],
    };
    const a = JSON.stringify(describeRequest(request, context, '1'));
    const b = JSON.stringify(describeRequest({ ...request }, context, '1'));
    expect(a).toBe(b);
  });
});
