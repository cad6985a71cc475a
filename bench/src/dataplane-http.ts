/**
 * HTTP cases of the dataplane bench: (a) one path route; (b) one route matching method, header
 * and query parameter (the map dispatch); (c) 1,000 routes on one listener, each on its own
 * Service; (d) TLS termination: case (a) on an HTTPS listener. wrk drives all four.
 */
import type { GatewayIR, HttpRuleIR, HttpServerIR } from '@portico/ir';
import type { Case } from './dataplane-nginx.ts';
import { wrk } from './load.ts';

const ROUTES = 1000;

export function rule(
  id: string,
  name: string,
  match: HttpRuleIR['match'],
  upstream: string,
  kind: HttpRuleIR['source']['kind'] = 'HTTPRoute',
): HttpRuleIR {
  return {
    id,
    source: { kind, namespace: 'bench', name, ruleIndex: 0, matchIndex: 0 },
    match,
    backends: [{ upstream, weight: 1 }],
  };
}

/** A Gateway IR with these HTTP servers, every upstream on the backend `port`. */
export function gateway(servers: HttpServerIR[], upstreams: string[], port: number): GatewayIR {
  return {
    schemaVersion: 2,
    gateway: { namespace: 'bench', name: 'gw' },
    httpServers: servers,
    upstreams: upstreams.map((name) => ({
      name,
      service: { namespace: 'bench', name, port: 80 },
      endpoints: [{ address: '127.0.0.1', port }],
    })),
  };
}

const httpServer = (rules: HttpRuleIR[]): HttpServerIR => ({
  port: 80,
  protocol: 'HTTP',
  virtualHosts: [{ hostname: '*', rules }],
});

export const upstreamBlock = (name: string, port: number) =>
  `upstream ${name} { server 127.0.0.1:${port}; keepalive 16; }`;
const proxy = (upstream: string) =>
  `proxy_pass http://${upstream}; proxy_http_version 1.1; proxy_set_header Connection "";`;

const APP = 'bench__app__80';
const appRule = () => rule('r1', 'app', { path: { type: 'PathPrefix', value: '/app' } }, APP);

const onePath: Case = {
  name: 'one-path-route',
  describe: 'one PathPrefix route',
  irPort: 80,
  ir: (b) => gateway([httpServer([appRule()])], [APP], b.http),
  handWritten: (listen, b) => ({
    http: `${upstreamBlock('app', b.http)}
server { listen ${listen}; location /app { ${proxy('app')} } location / { return 404; } }`,
  }),
  load: (port, seconds) => wrk(`http://127.0.0.1:${port}/app/items`, {}, seconds),
};

const methodHeaderQuery: Case = {
  name: 'method-header-query',
  describe: 'one route matching method GET, header x-env: prod and query v=2',
  irPort: 80,
  ir: (b) =>
    gateway(
      [
        httpServer([
          rule(
            'r1',
            'app',
            {
              path: { type: 'PathPrefix', value: '/app' },
              method: 'GET',
              headers: [{ name: 'x-env', type: 'Exact', value: 'prod' }],
              queryParams: [{ name: 'v', type: 'Exact', value: '2' }],
            },
            APP,
          ),
        ]),
      ],
      [APP],
      b.http,
    ),
  handWritten: (listen, b) => ({
    http: `${upstreamBlock('app', b.http)}
server {
  listen ${listen};
  location /app {
    if ($request_method != GET) { return 404; }
    if ($http_x_env != "prod") { return 404; }
    if ($arg_v != "2") { return 404; }
    ${proxy('app')}
  }
  location / { return 404; }
}`,
  }),
  load: (port, seconds) =>
    wrk(`http://127.0.0.1:${port}/app/items?v=2`, { 'x-env': 'prod' }, seconds),
};

const manyRoutes: Case = {
  name: '1000-routes',
  describe: `${ROUTES} routes (PathPrefix /route-<i>, one Service each) on one listener`,
  irPort: 80,
  ir: (b) => {
    const names = Array.from({ length: ROUTES }, (_, i) => `bench__svc_${i}__80`);
    const rules = names.map((upstream, i) =>
      rule(`r${i}`, `route-${i}`, { path: { type: 'PathPrefix', value: `/route-${i}` } }, upstream),
    );
    // The graph orders rules by precedence: longer prefixes first.
    rules.sort((a, b) => b.match.path.value.length - a.match.path.value.length);
    return gateway([httpServer(rules)], [...names].sort(), b.http);
  },
  handWritten: (listen, b) => {
    const blocks = Array.from({ length: ROUTES }, (_, i) => upstreamBlock(`svc_${i}`, b.http));
    const locations = Array.from(
      { length: ROUTES },
      (_, i) => `  location /route-${i} { ${proxy(`svc_${i}`)} }`,
    );
    return {
      http: `${blocks.join('\n')}
server {
  listen ${listen};
${locations.join('\n')}
  location / { return 404; }
}`,
    };
  },
  load: (port, seconds) => wrk(`http://127.0.0.1:${port}/route-${ROUTES / 2}/items`, {}, seconds),
};

/** The certificate Secret the HTTPS case names; the bench writes the files it renders to. */
export const BENCH_CERTIFICATE = { namespace: 'bench', name: 'cert', contentHash: '0123abcd' };

const tlsTermination: Case = {
  name: 'tls-termination',
  describe: 'one PathPrefix route on an HTTPS listener (TLS 1.3 terminated by NGINX, keepalive)',
  irPort: 443,
  ir: (b) =>
    gateway(
      [
        {
          port: 443,
          protocol: 'HTTPS',
          listeners: [{ name: 'https', hostname: '*', certificates: [BENCH_CERTIFICATE] }],
          virtualHosts: [{ hostname: '*', listener: 'https', rules: [appRule()] }],
        },
      ],
      [APP],
      b.http,
    ),
  handWritten: (listen, b, dir) => ({
    http: `${upstreamBlock('app', b.http)}
server {
  listen ${listen} ssl;
  ssl_certificate ${dir}/tls.crt;
  ssl_certificate_key ${dir}/tls.key;
  location /app { ${proxy('app')} }
  location / { return 404; }
}`,
  }),
  load: (port, seconds) => wrk(`https://127.0.0.1:${port}/app/items`, {}, seconds),
};

export const HTTP_CASES: Case[] = [onePath, methodHeaderQuery, manyRoutes, tlsTermination];
