import { describe, expect, it } from 'vitest';
import { compareRoundTrip, type Captured, type Expected } from '../src/http-compare.ts';

/** A preflight answered by the gateway itself: no echo body, only headers. */
const preflight = (headers: Record<string, string>, status = 204): Captured => ({
  status,
  headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), [v]])),
});

const asked: Expected = {
  request: { path: '/cors-1', method: 'OPTIONS' },
  backendRequest: { path: '' },
  status: [200, 204],
  validResponseHeaders: { 'access-control-allow-methods': ['GET, OPTIONS', 'OPTIONS, GET'] },
  ignoreWhitespace: true,
};

describe('compareRoundTrip: CORS answers (ValidHeaderValues, IgnoreWhitespace, no echo)', () => {
  it.each<[string, Expected, Captured, string | undefined]>([
    [
      'one of the valid values',
      asked,
      preflight({ 'Access-Control-Allow-Methods': 'GET, OPTIONS' }),
      undefined,
    ],
    [
      'valid value without spaces',
      asked,
      preflight({ 'Access-Control-Allow-Methods': 'OPTIONS,GET' }),
      undefined,
    ],
    [
      'value not in the list',
      asked,
      preflight({ 'Access-Control-Allow-Methods': 'GET' }),
      'response header access-control-allow-methods: GET, expected one of GET, OPTIONS | OPTIONS, GET',
    ],
    ['header missing', asked, preflight({}), 'response lacks header access-control-allow-methods'],
    [
      'a preflight that reached the backend',
      asked,
      {
        ...preflight({ 'Access-Control-Allow-Methods': 'GET, OPTIONS' }, 200),
        echo: {
          path: '/cors-1',
          host: 'h',
          method: 'OPTIONS',
          headers: {},
          namespace: 'ns',
          pod: 'p',
        },
      },
      'backend saw path /cors-1, expected ',
    ],
    [
      'a non-echo answer where a backend answer is expected',
      { request: { path: '/x' } },
      preflight({}, 200),
      'the answer is not an echo backend answer',
    ],
    [
      'exact header compared without spaces',
      { ...asked, validResponseHeaders: {}, responseHeaders: { 'X-A': 'a, b' } },
      preflight({ 'X-A': 'a,b' }),
      undefined,
    ],
  ])('%s', (_name, expected, captured, want) => {
    expect(compareRoundTrip(expected, 'http', captured)).toBe(want);
  });
});
