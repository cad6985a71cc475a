/**
 * Stream and gRPC cases of the dataplane bench. (e) TLS passthrough: a TLSRoute on a
 * Passthrough listener, NGINX's stream module reading the SNI (`ssl_preread`) and splicing the
 * still-encrypted bytes to an HTTPS backend; (f) TCP: a TCPRoute, bytes spliced to the HTTP
 * backend; both driven by wrk with keepalive connections, so they measure the proxying of
 * requests through an L4 hop. (g) gRPC: a GRPCRoute (exact service and method) on an h2c
 * listener, `grpc_pass` to an h2c backend, driven by h2load with unary calls.
 */
import type { GatewayIR, StreamServerIR } from '@portico/ir';
import { gateway, rule, upstreamBlock } from './dataplane-http.ts';
import type { Backends, Case } from './dataplane-nginx.ts';
import { h2loadGrpc, wrk } from './load.ts';

function streamGateway(server: StreamServerIR, upstream: string, port: number): GatewayIR {
  return {
    schemaVersion: 2,
    gateway: { namespace: 'bench', name: 'gw' },
    httpServers: [],
    streamServers: [server],
    upstreams: [
      {
        name: upstream,
        service: { namespace: 'bench', name: upstream, port: 443 },
        endpoints: [{ address: '127.0.0.1', port }],
      },
    ],
  };
}

const TLS_UPSTREAM = 'bench__tls__443';
const TCP_UPSTREAM = 'bench__app__80';
const GRPC_UPSTREAM = 'bench__grpc__50051';

const tlsPassthrough: Case = {
  name: 'tls-passthrough',
  describe:
    'one TLSRoute (any SNI) on a Passthrough listener to an HTTPS backend; hand-written: plain stream proxy_pass',
  irPort: 8443,
  ir: (b: Backends) =>
    streamGateway(
      {
        port: 8443,
        transport: 'tcp',
        protocol: 'TLS',
        routes: [
          {
            hostname: '*',
            source: { kind: 'TLSRoute', namespace: 'bench', name: 'tls' },
            backends: [{ upstream: TLS_UPSTREAM, weight: 1 }],
          },
        ],
      },
      TLS_UPSTREAM,
      b.tls,
    ),
  handWritten: (listen, b) => ({
    stream: `upstream tls_app { server 127.0.0.1:${b.tls}; }
server { listen ${listen}; proxy_pass tls_app; }`,
  }),
  load: (port, seconds) => wrk(`https://127.0.0.1:${port}/app/items`, {}, seconds),
};

const tcp: Case = {
  name: 'tcp',
  describe: 'one TCPRoute to the HTTP backend (HTTP/1.1 requests through the L4 proxy)',
  irPort: 9000,
  ir: (b: Backends) =>
    streamGateway(
      {
        port: 9000,
        transport: 'tcp',
        protocol: 'TCP',
        routes: [
          {
            hostname: '*',
            source: { kind: 'TCPRoute', namespace: 'bench', name: 'tcp' },
            backends: [{ upstream: TCP_UPSTREAM, weight: 1 }],
          },
        ],
      },
      TCP_UPSTREAM,
      b.http,
    ),
  handWritten: (listen, b) => ({
    stream: `upstream tcp_app { server 127.0.0.1:${b.http}; }
server { listen ${listen}; proxy_pass tcp_app; }`,
  }),
  load: (port, seconds) => wrk(`http://127.0.0.1:${port}/app/items`, {}, seconds),
};

const GRPC_METHOD = '/bench.Echo/Call';

const grpc: Case = {
  name: 'grpc',
  describe: 'one GRPCRoute (exact service and method) on an h2c listener, unary calls',
  irPort: 80,
  ir: (b: Backends) =>
    gateway(
      [
        {
          port: 80,
          protocol: 'HTTP',
          http2: true,
          virtualHosts: [
            {
              hostname: '*',
              rules: [
                rule(
                  'r1',
                  'grpc',
                  { path: { type: 'Exact', value: GRPC_METHOD } },
                  GRPC_UPSTREAM,
                  'GRPCRoute',
                ),
              ],
            },
          ],
        },
      ],
      [GRPC_UPSTREAM],
      b.grpc,
    ),
  handWritten: (listen, b) => ({
    http: `${upstreamBlock('grpc_app', b.grpc)}
server {
  listen ${listen} http2;
  location = ${GRPC_METHOD} { grpc_pass grpc://grpc_app; }
  location / { return 404; }
}`,
  }),
  load: (port, seconds, dir) => h2loadGrpc(`http://127.0.0.1:${port}${GRPC_METHOD}`, seconds, dir),
};

export const L4_AND_GRPC_CASES: Case[] = [tlsPassthrough, tcp, grpc];
