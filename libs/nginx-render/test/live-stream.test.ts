/**
 * Stream servers on a real NGINX with real clients: TCP (`node:net`) and UDP (`node:dgram`)
 * echoes through one port number, TLS passthrough (`node:tls` with `servername`) reaching the
 * backend chosen by SNI with the backend's own certificate (NGINX never terminates), and
 * connections of invalid backends or unknown SNIs closed without an answer.
 */
import { createSocket } from 'node:dgram';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayIR, StreamServerIR } from '@portico/ir';
import { renderNginx } from '@portico/nginx-render';
import {
  createTestCertificate,
  freePorts,
  makeTempDir,
  removeTempDir,
  startTcpEcho,
  startTlsEcho,
  startUdpEcho,
  type RunningStreamEcho,
} from '@portico/testing';
import { runNginx, settingsUnder, writeRendered } from './support/nginx.ts';

const OFFSET = 21000;

function upstream(name: string, port: number): GatewayIR['upstreams'][number] {
  return {
    name,
    service: { namespace: 'infra', name, port: 1 },
    endpoints: [{ address: '127.0.0.1', port }],
  };
}

function server(
  port: number,
  transport: 'tcp' | 'udp',
  protocol: StreamServerIR['protocol'],
  routes: [hostname: string, upstream: string | null][],
): StreamServerIR {
  return {
    port: port - OFFSET,
    transport,
    protocol,
    routes: routes.map(([hostname, up]) => ({
      hostname,
      source: { kind: 'TCPRoute', namespace: 'infra', name: 'r' },
      backends: [{ upstream: up, weight: 1 }],
    })),
  };
}

/** Sends `payload` over TCP and collects what comes back until the peer closes or 1.5 s. */
function tcpExchange(port: number, payload: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = netConnect({ host: '127.0.0.1', port }, () => socket.write(payload));
    let data = '';
    const done = (): void => {
      socket.destroy();
      resolve(data);
    };
    socket.setTimeout(1500, done);
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString();
      if (data.includes(payload)) done();
    });
    socket.on('error', done);
    socket.on('close', done);
  });
}

function udpExchange(port: number, payload: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error('no UDP answer'));
    }, 3000);
    socket.on('message', (msg) => {
      clearTimeout(timer);
      socket.close();
      resolve(msg.toString());
    });
    socket.send(payload, port, '127.0.0.1');
  });
}

/** A TLS exchange with `servername` as SNI; '' when the connection fails or closes silently. */
function tlsExchange(port: number, servername: string, payload: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false });
    let data = '';
    const done = (): void => {
      socket.destroy();
      resolve(data);
    };
    socket.setTimeout(3000, done);
    socket.on('secureConnect', () => socket.write(payload));
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString();
      if (data.includes(payload)) done();
    });
    socket.on('error', done);
    socket.on('close', done);
  });
}

describe('stream servers on a real NGINX', () => {
  let root = '';
  let nginx: { stop(): Promise<void> } | undefined;
  const echoes: RunningStreamEcho[] = [];
  let ports: number[] = [];

  beforeAll(async () => {
    root = await makeTempDir('render-live-stream');
    const [foo, any] = await Promise.all([
      createTestCertificate(['foo.example.com']),
      createTestCertificate(['*.example.com']),
    ]);
    const id = (pod: string) => ({ namespace: 'infra', pod });
    const started = await Promise.all([
      startTcpEcho(id('tcp-a')),
      startUdpEcho(id('udp-a')),
      startTlsEcho(id('tls-foo'), { cert: foo.certPem, key: foo.keyPem }),
      startTlsEcho(id('tls-any'), { cert: any.certPem, key: any.keyPem }),
    ]);
    echoes.push(...started);
    const [tcp, udp, tlsFoo, tlsAny] = started.map((e) => e.port);
    ports = await freePorts(5);
    const [shared, passthrough, strict, invalid, status] = ports as [
      number,
      number,
      number,
      number,
      number,
    ];
    const ir: GatewayIR = {
      schemaVersion: 2,
      gateway: { namespace: 'infra', name: 'l4' },
      httpServers: [],
      streamServers: [
        server(shared, 'tcp', 'TCP', [['*', 'tcp_a']]),
        server(shared, 'udp', 'UDP', [['*', 'udp_a']]),
        server(passthrough, 'tcp', 'TLS', [
          ['*', 'tls_any'],
          ['foo.example.com', 'tls_foo'],
        ]),
        server(strict, 'tcp', 'TLS', [['foo.example.com', 'tls_foo']]),
        server(invalid, 'tcp', 'TCP', [['*', null]]),
      ],
      upstreams: [
        upstream('tcp_a', tcp as number),
        upstream('tls_any', tlsAny as number),
        upstream('tls_foo', tlsFoo as number),
        upstream('udp_a', udp as number),
      ],
    };
    const settings = settingsUnder(root, {
      portOffset: OFFSET,
      statusListen: `127.0.0.1:${status}`,
    });
    const result = renderNginx([ir], settings);
    expect(result.warnings).toEqual([]);
    await writeRendered(result.files, settings);
    nginx = await runNginx(settings);
  }, 60_000);

  afterAll(async () => {
    await nginx?.stop();
    await Promise.all(echoes.map((e) => e.stop()));
    if (root !== '') await removeTempDir(root);
  });

  it('forwards TCP to the route backend', async () => {
    expect(await tcpExchange(ports[0] as number, 'hello tcp')).toBe('infra/tcp-a hello tcp');
  });

  it('forwards UDP on the same port number to the UDP backend', async () => {
    expect(await udpExchange(ports[0] as number, 'hello udp')).toBe('infra/udp-a hello udp');
  });

  it.each([
    ['foo.example.com', 'infra/tls-foo sni=foo.example.com hi'],
    ['bar.example.com', 'infra/tls-any sni=bar.example.com hi'],
    ['unknown.org', 'infra/tls-any sni=unknown.org hi'],
  ])('passes TLS with SNI %s through to its backend', async (sni, expected) => {
    expect(await tlsExchange(ports[1] as number, sni, 'hi')).toBe(expected);
  });

  it('closes TLS connections whose SNI no route serves', async () => {
    expect(await tlsExchange(ports[2] as number, 'bar.example.com', 'hi')).toBe('');
    expect(await tlsExchange(ports[2] as number, 'foo.example.com', 'hi')).toBe(
      'infra/tls-foo sni=foo.example.com hi',
    );
  });

  it('closes connections of an invalid backend without an answer', async () => {
    expect(await tcpExchange(ports[3] as number, 'hello')).toBe('');
  });
});
