import { describe, expect, it } from 'vitest';
import { versionFrom } from '../src/nginx-runtime.ts';

describe('versionFrom', () => {
  it.each([
    {
      name: 'a 200 with the version',
      response: 'HTTP/1.1 200 OK\r\nContent-Length: 16\r\n\r\n0123456789abcdef',
      version: '0123456789abcdef',
    },
    { name: 'a 404', response: 'HTTP/1.1 404 Not Found\r\n\r\nnope', version: undefined },
    { name: 'headers cut short', response: 'HTTP/1.1 200 OK\r\nContent-Le', version: undefined },
    { name: 'nothing', response: '', version: undefined },
  ])('$name', ({ response, version }) => {
    expect(versionFrom(response)).toBe(version);
  });
});
