/**
 * gRPC rules on a real NGINX with a real gRPC client and real gRPC echo servers: routing by
 * service and method (exact, service only, method only, regex) and by header, weights,
 * request header modifiers through `grpc_set_header`, an unmatched method, and HTTP/2 (h2c)
 * on the gRPC port while another cleartext port keeps serving HTTP/1.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayIR, HttpMatchIR, HttpRuleIR, WeightedBackendIR } from '@portico/ir';
import { renderNginx } from '@portico/nginx-render';
import {
  callGrpcEcho,
  freePorts,
  GRPC_ECHO_SERVICE,
  httpRequest,
  makeTempDir,
  removeTempDir,
  startGrpcEcho,
  type GrpcEchoMethod,
  type RunningGrpcEcho,
} from '@portico/testing';
import { startBackend, type Backend } from './support/backends.ts';
import { runNginx, settingsUnder, writeRendered } from './support/nginx.ts';

const OFFSET = 10000;
const SVC = GRPC_ECHO_SERVICE;
let count = 0;

function grpcRule(
  match: HttpMatchIR,
  backends: WeightedBackendIR[],
  extra: Partial<HttpRuleIR> = {},
): HttpRuleIR {
  const ruleIndex = count++;
  return {
    id: `g${ruleIndex}`,
    source: { kind: 'GRPCRoute', namespace: 'default', name: 'grpc', ruleIndex, matchIndex: 0 },
    match,
    backends,
    ...extra,
  };
}

const to = (upstream: string | null, weight = 1): WeightedBackendIR => ({ upstream, weight });

/** Rules as the graph orders a GRPCRoute's (see grpcroute.ts and precedence.ts there). */
function grpcIR(grpcPort: number, httpPort: number, http: Backend): GatewayIR {
  return {
    schemaVersion: 2,
    gateway: { namespace: 'default', name: 'grpc' },
    httpServers: [
      {
        port: grpcPort - OFFSET,
        protocol: 'HTTP',
        http2: true,
        virtualHosts: [
          {
            hostname: 'grpc.example.com',
            rules: [
              grpcRule({ path: { type: 'Exact', value: `/${SVC}/Echo` } }, [to('v1')], {
                filters: {
                  requestHeaders: {
                    set: [{ name: 'x-set', value: 'by-gateway' }],
                    add: [],
                    remove: [],
                  },
                },
              }),
              grpcRule(
                {
                  path: { type: 'PathPrefix', value: `/${SVC}` },
                  headers: [{ name: 'version', type: 'Exact', value: 'three' }],
                },
                [to('v3')],
              ),
              grpcRule({ path: { type: 'PathPrefix', value: `/${SVC}` } }, [to('v2')]),
            ],
          },
          {
            hostname: 'split.example.com',
            rules: [
              grpcRule({ path: { type: 'RegularExpression', value: '/[^/]+/EchoThree' } }, [
                to('v3'),
              ]),
              grpcRule({ path: { type: 'PathPrefix', value: '/' } }, [to('v1', 1), to('v2', 1)]),
            ],
          },
          {
            // Invalid backends (upstream null): the whole rule, and half of a split.
            hostname: 'broken.example.com',
            rules: [
              grpcRule({ path: { type: 'Exact', value: `/${SVC}/EchoTwo` } }, [to(null)]),
              grpcRule({ path: { type: 'PathPrefix', value: '/' } }, [to(null, 1), to('v1', 1)]),
            ],
          },
        ],
      },
      {
        port: httpPort - OFFSET,
        protocol: 'HTTP',
        virtualHosts: [
          {
            hostname: '*',
            rules: [
              // Longest prefix first, as the graph orders rules.
              {
                id: 'h1',
                source: {
                  kind: 'HTTPRoute',
                  namespace: 'default',
                  name: 'web',
                  ruleIndex: 1,
                  matchIndex: 0,
                },
                match: { path: { type: 'PathPrefix', value: '/broken' } },
                backends: [to(null)],
              },
              {
                id: 'h0',
                source: {
                  kind: 'HTTPRoute',
                  namespace: 'default',
                  name: 'web',
                  ruleIndex: 0,
                  matchIndex: 0,
                },
                match: { path: { type: 'PathPrefix', value: '/' } },
                backends: [to('web')],
              },
            ],
          },
        ],
      },
    ],
    upstreams: [
      ...['v1', 'v2', 'v3'].map((name, i) => ({
        name,
        service: { namespace: 'default', name, port: 8080 },
        endpoints: [{ address: '127.0.0.1', port: echoes[i]?.port ?? 0 }],
      })),
      {
        name: 'web',
        service: { namespace: 'default', name: 'web', port: 80 },
        endpoints: [{ address: '127.0.0.1', port: http.port }],
      },
    ],
  };
}

let echoes: RunningGrpcEcho[] = [];

describe('gRPC rules on a real NGINX', () => {
  let root = '';
  let web: Backend | undefined;
  let nginx: { stop(): Promise<void> } | undefined;
  let grpcPort = 0;
  let httpPort = 0;

  beforeAll(async () => {
    root = await makeTempDir('render-grpc');
    const [a = 0, b = 0, statusPort = 0] = await freePorts(3);
    [grpcPort, httpPort] = [a, b];
    echoes = await Promise.all(
      ['v1', 'v2', 'v3'].map((name) =>
        startGrpcEcho({ namespace: 'default', service: name, pod: `${name}-pod` }),
      ),
    );
    web = await startBackend('web');
    const settings = settingsUnder(root, {
      portOffset: OFFSET,
      statusListen: `127.0.0.1:${statusPort}`,
    });
    const result = renderNginx([grpcIR(grpcPort, httpPort, web)], settings);
    await writeRendered(result.files, settings);
    nginx = await runNginx(settings);
  }, 30_000);

  afterAll(async () => {
    await nginx?.stop();
    await Promise.all(echoes.map((e) => e.stop()));
    await web?.close();
    await removeTempDir(root);
  });

  async function call(
    host: string,
    method: GrpcEchoMethod,
    metadata: Record<string, string> = {},
  ): Promise<{
    backend?: string;
    code?: number;
    headers?: { key: string; value: string }[];
    authority?: string;
  }> {
    const result = await callGrpcEcho({
      address: `127.0.0.1:${grpcPort}`,
      authority: host,
      method,
      metadata,
    });
    if (!result.ok) return { code: result.code };
    const { context, headers, authority } = result.response.assertions;
    return { backend: context.service_name, headers, authority };
  }

  it.each<[string, string, GrpcEchoMethod, Record<string, string>, string]>([
    ['an exact service and method', 'grpc.example.com', 'Echo', {}, 'v1'],
    ['the service alone takes the other methods', 'grpc.example.com', 'EchoTwo', {}, 'v2'],
    [
      'a header match wins over the bare service',
      'grpc.example.com',
      'EchoTwo',
      { version: 'three' },
      'v3',
    ],
    [
      'the exact method wins over a header match',
      'grpc.example.com',
      'Echo',
      { version: 'three' },
      'v1',
    ],
    ['a method-only match (any service)', 'split.example.com', 'EchoThree', {}, 'v3'],
  ])('%s routes to its backend', async (_title, host, method, metadata, backend) => {
    expect(await call(host, method, metadata)).toMatchObject({ backend });
  });

  it('sets request headers with grpc_set_header', async () => {
    const answer = await call('grpc.example.com', 'Echo');
    expect(answer.headers).toContainEqual({ key: 'x-set', value: 'by-gateway' });
  });

  // NGINX has no http-level grpc_set_header: without the defaults written into each location,
  // the backend would see the upstream's name as :authority.
  it.each<[string, string, GrpcEchoMethod]>([
    ['a location with header modifiers', 'grpc.example.com', 'Echo'],
    ['a location without header lines', 'grpc.example.com', 'EchoTwo'],
    ['the internal locations of a weighted split', 'split.example.com', 'Echo'],
  ])('%s passes the client :authority to the backend', async (_title, host, method) => {
    expect(await call(host, method)).toMatchObject({ authority: host });
  });

  // GRPCRoute rules[].backendRefs: calls for an invalid backend MUST get UNAVAILABLE (14).
  it('answers UNAVAILABLE for a rule whose only backend is invalid', async () => {
    expect(await call('broken.example.com', 'EchoTwo')).toEqual({ code: 14 });
  });

  it('answers UNAVAILABLE for the invalid share of a split, and serves the valid one', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 40 && seen.size < 2; i += 1) {
      const answer = await call('broken.example.com', 'Echo');
      seen.add(answer.backend ?? `code ${answer.code ?? '?'}`);
    }
    expect([...seen].sort()).toEqual(['code 14', 'v1']);
  });

  it('splits calls between weighted backends', async () => {
    const seen = new Set<string | undefined>();
    for (let i = 0; i < 24 && seen.size < 2; i += 1) {
      seen.add((await call('split.example.com', 'Echo')).backend);
    }
    expect([...seen].sort()).toEqual(['v1', 'v2']);
  });

  it('a host without routes gets no backend (HTTP 404, UNIMPLEMENTED for gRPC)', async () => {
    expect(await call('unknown.example.com', 'Echo')).toEqual({ code: 12 });
  });

  it('the cleartext port without gRPC still serves HTTP/1.1', async () => {
    const res = await httpRequest(`http://127.0.0.1:${httpPort}/x`, { headers: { host: 'a' } });
    expect(res.status).toBe(200);
  });

  it('an HTTP rule with an invalid backend still answers 500 beside gRPC rules', async () => {
    const res = await httpRequest(`http://127.0.0.1:${httpPort}/broken`, {
      headers: { host: 'a' },
    });
    expect(res.status).toBe(500);
  });
});
