import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ECHO_MAIN,
  httpGet,
  httpRequest,
  processAlive,
  spawnManaged,
  startEcho,
  waitFor,
} from '../src/index.ts';
import type { EchoResponse, HttpRequestOptions, RunningEcho } from '../src/index.ts';

interface EchoCase {
  name: string;
  path: string;
  options: HttpRequestOptions;
  check: (body: EchoResponse) => void;
}

describe('startEcho (HTTP/1.1)', () => {
  let echo: RunningEcho;
  beforeAll(async () => {
    echo = await startEcho({
      namespace: 'gateway-conformance-infra',
      pod: 'infra-backend-v1-abc',
      service: 'infra-backend-v1',
    });
  });
  afterAll(async () => {
    await echo.stop();
  });

  it('answers with the conformance echo JSON', async () => {
    const res = await httpGet(`${echo.url}/some/path`, {
      headers: { Host: 'example.com', 'x-test': 'one' },
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.json()).toEqual({
      path: '/some/path',
      host: 'example.com',
      method: 'GET',
      proto: 'HTTP/1.1',
      headers: { Connection: ['close'], 'X-Test': ['one'] },
      httpPort: String(echo.port),
      namespace: 'gateway-conformance-infra',
      ingress: '',
      service: 'infra-backend-v1',
      pod: 'infra-backend-v1-abc',
      query: {},
    });
  });

  it.each<EchoCase>([
    {
      name: 'path keeps the query string, query is parsed',
      path: '/q?b=2&a=1&a=3',
      options: {},
      check: (body: EchoResponse) => {
        expect(body.path).toBe('/q?b=2&a=1&a=3');
        expect(body.query).toEqual({ a: ['1', '3'], b: ['2'] });
        expect(Object.keys(body.query)).toEqual(['a', 'b']);
      },
    },
    {
      name: 'repeated headers keep every value under the canonical name',
      path: '/',
      options: { headers: { 'x-multi-value': ['a', 'b'], 'X-lower-CASE': 'v' } },
      check: (body: EchoResponse) => {
        expect(body.headers['X-Multi-Value']).toEqual(['a', 'b']);
        expect(body.headers['X-Lower-Case']).toEqual(['v']);
        expect(body.headers['Host']).toBeUndefined();
      },
    },
    {
      name: 'the method is echoed',
      path: '/m',
      options: { method: 'POST', body: 'payload', headers: { 'content-type': 'text/plain' } },
      check: (body: EchoResponse) => {
        expect(body.method).toBe('POST');
        expect(body.headers['Content-Length']).toEqual(['7']);
      },
    },
  ])('$name', async ({ path, options, check }) => {
    const res = await httpRequest(`${echo.url}${path}`, options);
    expect(res.status).toBe(200);
    check(res.json<EchoResponse>());
  });

  it.each([
    { path: '/health', status: 200, body: 'OK' },
    { path: '/status/418', status: 418, body: '' },
    { path: '/status/abc', status: 400, body: '' },
  ])('$path answers $status', async ({ path, status, body }) => {
    const res = await httpGet(`${echo.url}${path}`);
    expect([res.status, res.body]).toEqual([status, body]);
  });

  it('waits for ?delay= before answering', async () => {
    const started = Date.now();
    const res = await httpGet(`${echo.url}/slow?delay=300ms`);
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('sets response headers asked for with X-Echo-Set-Header', async () => {
    const res = await httpGet(`${echo.url}/`, {
      headers: { 'X-Echo-Set-Header': 'X-One: 1, X-Two: 2' },
    });
    expect([res.headers['x-one'], res.headers['x-two']]).toEqual(['1', '2']);
  });

  it('logs one JSON line per request', async () => {
    await httpGet(`${echo.url}/logged?k=v`, { headers: { Host: 'logged.example' } });
    const entry = await waitFor(() => echo.requests().find((r) => r.path === '/logged?k=v'), {
      description: 'the request to /logged in the echo log',
    });
    expect(entry).toMatchObject({
      msg: 'request',
      protocol: 'http',
      method: 'GET',
      host: 'logged.example',
      status: 200,
    });
  });
});

describe('the echo program', () => {
  it('takes its identity from POD_NAME, NAMESPACE and SERVICE_NAME', async () => {
    let port: number | undefined;
    const proc = spawnManaged(process.execPath, [ECHO_MAIN], {
      name: 'echo',
      env: {
        ...process.env,
        HTTP_PORT: '0',
        POD_NAME: 'env-pod',
        NAMESPACE: 'env-ns',
        SERVICE_NAME: 'env-svc',
      },
      onStdoutLine: (line) => {
        const entry = JSON.parse(line) as { msg: string; port: number };
        if (entry.msg === 'listening') port = entry.port;
      },
    });
    try {
      const ready = await waitFor(() => port, { description: 'the echo to listen' });
      const body = (await httpGet(`http://127.0.0.1:${ready}/`)).json<EchoResponse>();
      expect([body.namespace, body.pod, body.service]).toEqual(['env-ns', 'env-pod', 'env-svc']);
    } finally {
      await proc.stop();
    }
  });

  it('flags win over the environment', async () => {
    const echo = await startEcho({ pod: 'flag-pod' });
    try {
      expect((await httpGet(echo.url)).json<EchoResponse>().pod).toBe('flag-pod');
    } finally {
      await echo.stop();
    }
  });

  it('stop() ends the process and frees the port', async () => {
    const echo = await startEcho();
    await echo.stop();
    expect(processAlive(echo.pid)).toBe(false);
    await expect(httpGet(echo.url)).rejects.toThrow(/ECONNREFUSED/);
  });
});
