/**
 * h2c from clients on a real NGINX 1.22: a cleartext port serving a route with an h2c backend
 * is fronted by a stream server that reads the client preface with njs (stream-h2c.ts). An
 * HTTP/1.1 client and an HTTP/2 prior-knowledge client on the same port both reach the
 * backend, and it sees the client's own address (PROXY protocol + realip, clients bound to
 * 127.0.0.2/127.0.0.3 so the address cannot be NGINX's or the unix socket's). Bytes that
 * arrive in pieces are still told apart; a port without h2c backends keeps its direct listen.
 */
import { chmod } from 'node:fs/promises';
import { request as http1Request } from 'node:http';
import { connect, createServer as createH2cServer, type Http2Server } from 'node:http2';
import { connect as tcpConnect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayIR, HttpRuleIR } from '@portico/ir';
import { renderNginx } from '@portico/nginx-render';
import { freePorts, httpRequest, makeTempDir, removeTempDir } from '@portico/testing';
import { startBackend, type Backend } from './support/backends.ts';
import { runNginx, settingsUnder, writeRendered } from './support/nginx.ts';

const OFFSET = 10000;
const PREFACE = 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n';

interface Answer {
  backend: string;
  /** The protocol the h2c backend was spoken to with. */
  protocol: string;
  forwardedFor: string;
}

async function startH2c(): Promise<{ port: number; server: Http2Server }> {
  const server = createH2cServer((req, res) => {
    req.resume();
    const answer: Answer = {
      backend: 'h2c',
      protocol: `HTTP/${req.httpVersion}`,
      forwardedFor: String(req.headers['x-forwarded-for']),
    };
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, server };
}

function rule(id: string, upstream: string): HttpRuleIR {
  return {
    id,
    source: { kind: 'HTTPRoute', namespace: 'default', name: id, ruleIndex: 0, matchIndex: 0 },
    match: { path: { type: 'PathPrefix', value: '/' } },
    backends: [{ upstream, weight: 1 }],
  };
}

interface Got {
  status: number;
  body: string;
  /** HTTP version NGINX answered the client with. */
  version: string;
}

/** An HTTP/1.1 GET from `localAddress`. */
function getHttp1(port: number, localAddress: string): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = http1Request(
      { host: '127.0.0.1', port, path: '/one', localAddress, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body, version: res.httpVersion }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** An HTTP/2 prior-knowledge GET from `localAddress` (an answer at all means NGINX spoke h2). */
function getH2c(port: number, localAddress: string): Promise<Got> {
  return new Promise((resolve, reject) => {
    const session = connect(`http://127.0.0.1:${port}`, {
      createConnection: () => tcpConnect({ host: '127.0.0.1', port, localAddress }),
    });
    session.on('error', reject);
    const req = session.request({ ':method': 'GET', ':path': '/two' });
    let status = 0;
    let body = '';
    req.setEncoding('utf8');
    req.on('response', (headers) => (status = Number(headers[':status'])));
    req.on('data', (c: string) => (body += c));
    req.on('error', reject);
    req.on('end', () => {
      session.close();
      resolve({ status, body, version: '2.0' });
    });
    req.end();
  });
}

/** Writes `pieces` 50 ms apart on a raw connection; resolves with the first bytes answered. */
function rawExchange(port: number, pieces: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(port, '127.0.0.1');
    const timer = setTimeout(() => socket.destroy(new Error('no answer in 5 s')), 5000);
    socket.once('data', (data) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(data);
    });
    socket.on('error', reject);
    pieces.forEach((piece, i) => setTimeout(() => socket.write(piece), 50 * i));
  });
}

describe('h2c and HTTP/1.1 on one cleartext port (stream front with njs)', () => {
  let root = '';
  let sockets = '';
  let port = 0;
  let plainPort = 0;
  let h2c: { port: number; server: Http2Server };
  let http1: Backend;
  let nginx: { stop(): Promise<void> } | undefined;

  beforeAll(async () => {
    root = await makeTempDir('render-live-h2c-front');
    // Workers (nobody when the tests run as root) connect to the sockets: a traversable dir.
    sockets = await makeTempDir('sockets');
    await chmod(sockets, 0o755);
    [h2c, http1] = await Promise.all([startH2c(), startBackend('http1')]);
    const [main = 0, plain = 0, statusPort = 0] = await freePorts(3);
    port = main;
    plainPort = plain;
    const settings = settingsUnder(root, {
      portOffset: OFFSET,
      statusListen: `127.0.0.1:${statusPort}`,
      modules: ['/usr/lib/nginx/modules/ngx_stream_module.so'],
    });
    settings.paths.socketDir = sockets;
    const ir: GatewayIR = {
      schemaVersion: 2,
      gateway: { namespace: 'default', name: 'h2c-front' },
      httpServers: [
        {
          port: port - OFFSET,
          protocol: 'HTTP',
          virtualHosts: [{ hostname: '*', rules: [rule('r1', 'up_h2c')] }],
        },
        {
          port: plainPort - OFFSET,
          protocol: 'HTTP',
          virtualHosts: [{ hostname: '*', rules: [rule('r2', 'up_http1')] }],
        },
      ],
      upstreams: [
        {
          name: 'up_h2c',
          service: { namespace: 'default', name: 'h2c', port: 8081 },
          endpoints: [{ address: '127.0.0.1', port: h2c.port }],
          protocol: 'h2c',
        },
        {
          name: 'up_http1',
          service: { namespace: 'default', name: 'http1', port: 80 },
          endpoints: [{ address: '127.0.0.1', port: http1.port }],
        },
      ],
    };
    const rendered = renderNginx([ir], settings);
    await writeRendered(rendered.files, settings);
    nginx = await runNginx(settings);
  });

  afterAll(async () => {
    await nginx?.stop();
    await http1?.close();
    await new Promise((resolve) => h2c?.server.close(resolve));
    if (root) await removeTempDir(root);
    if (sockets) await removeTempDir(sockets);
  });

  it.each([
    ['an HTTP/1.1 client', getHttp1, '127.0.0.2', '1.1'],
    ['an h2c prior-knowledge client', getH2c, '127.0.0.3', '2.0'],
  ])('%s reaches the h2c backend with its own address', async (_, get, from, version) => {
    const res = await get(port, from);
    expect(res.status).toBe(200);
    expect(res.version).toBe(version);
    expect(JSON.parse(res.body)).toEqual({
      backend: 'h2c',
      protocol: 'HTTP/2.0',
      forwardedFor: from,
    });
  });

  it.each([
    [
      'an HTTP/1.1 request sent a byte at first',
      ['P', 'UT /x HTTP/1.1\r\nHost: a\r\n\r\n'],
      'http1',
    ],
    ['an HTTP/1.1 request that starts like the preface', ['PRI', ' / HTTP/1.1\r\n\r\n'], 'http1'],
    ['the h2c preface in two pieces', [PREFACE.slice(0, 10), PREFACE.slice(10)], 'h2'],
  ])('%s goes to the right server', async (_, pieces, expected) => {
    const answer = await rawExchange(port, pieces);
    // HTTP/2 answers with a SETTINGS frame (type 4 in the 4th byte), HTTP/1 with a status line.
    const kind = answer.subarray(0, 5).toString('latin1') === 'HTTP/' ? 'http1' : 'h2';
    expect(kind).toBe(expected);
    if (kind === 'h2') expect(answer[3]).toBe(4);
  });

  it('a port without h2c backends keeps serving HTTP/1.1 directly', async () => {
    const res = await httpRequest(`http://127.0.0.1:${plainPort}/direct`);
    expect(res.status).toBe(200);
    expect(res.json<{ backend: string }>().backend).toBe('http1');
    expect(http1.log.at(-1)?.headers['x-forwarded-for']).toBe('127.0.0.1');
  });
});
