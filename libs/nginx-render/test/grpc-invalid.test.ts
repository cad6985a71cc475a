// Invalid backends of gRPC rules answer 503 (read as UNAVAILABLE by gRPC clients), HTTP rules
// keep 500, also when both split to an invalid share in one server: each gets its own
// internal location, whichever rule comes first.
import { describe, expect, it } from 'vitest';
import type { GatewayIR, HttpRuleIR } from '@portico/ir';

type RouteKind = HttpRuleIR['source']['kind'];
import { renderNginx } from '@portico/nginx-render';
import { settingsUnder } from './support/nginx.ts';

const settings = settingsUnder('/srv/portico');
const UPSTREAM = 'default__svc__8080';

/** A rule splitting between an invalid share and one with its own filter (own locations). */
function splitRule(id: string, kind: RouteKind, path: string): HttpRuleIR {
  const filters = { requestHeaders: { set: [{ name: 'x-b', value: id }], add: [], remove: [] } };
  return {
    id,
    source: { kind, namespace: 'default', name: id, ruleIndex: 0, matchIndex: 0 },
    match: { path: { type: 'PathPrefix', value: path } },
    backends: [
      { upstream: null, weight: 1 },
      { upstream: UPSTREAM, weight: 1, filters },
    ],
  };
}

function gateway(rules: HttpRuleIR[]): GatewayIR {
  return {
    schemaVersion: 2,
    gateway: { namespace: 'default', name: 'gw' },
    httpServers: [
      { port: 80, protocol: 'HTTP', http2: true, virtualHosts: [{ hostname: '*', rules }] },
    ],
    upstreams: [
      {
        name: UPSTREAM,
        service: { namespace: 'default', name: 'svc', port: 8080 },
        endpoints: [{ address: '10.0.0.1', port: 8080 }],
      },
    ],
  };
}

/** The internal locations answering a status, as `uri -> return` pairs. */
function answering(ir: GatewayIR): string[] {
  const text = renderNginx([ir], settings)
    .files.map((f) => f.contents)
    .join('\n');
  const found = text.matchAll(/location = (\/\/portico\/\d+) \{\s*internal;\s*return (\d+);/g);
  return [...found].map((m) => `${m[1]} -> ${m[2]}`).sort();
}

describe('invalid backend shares of gRPC and HTTP rules in one server', () => {
  const grpc = splitRule('g', 'GRPCRoute', '/pkg.Svc/');
  const http = splitRule('h', 'HTTPRoute', '/web/');
  const both = ['//portico/500 -> 500', '//portico/503 -> 503'];

  it.each<[string, HttpRuleIR[], string[]]>([
    ['a gRPC rule alone', [grpc], ['//portico/503 -> 503']],
    ['an HTTP rule alone', [http], ['//portico/500 -> 500']],
    ['gRPC first, then HTTP', [grpc, http], both],
    ['HTTP first, then gRPC', [http, grpc], both],
  ])('%s', (_name, rules, expected) => {
    expect(answering(gateway(rules))).toEqual(expected);
  });
});
