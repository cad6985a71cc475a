/**
 * IR builders shared by the renderer's unit tests: the smallest HTTP server that routes
 * everything to some upstreams, for tests about what surrounds the routing (upstream TLS,
 * bridges, the h2c front) rather than the routing itself.
 */
import type { HttpServerIR } from '@portico/ir';

/**
 * A cleartext HTTP server on `port` with one virtual host `hostname` and one PathPrefix `/`
 * rule `id` (from HTTPRoute default/r) splitting evenly between `upstreams`.
 */
export function prefixServer(
  port: number,
  hostname: string,
  upstreams: readonly string[],
  id = 'r0',
): HttpServerIR {
  return {
    port,
    protocol: 'HTTP',
    virtualHosts: [
      {
        hostname,
        rules: [
          {
            id,
            source: {
              kind: 'HTTPRoute',
              namespace: 'default',
              name: 'r',
              ruleIndex: 0,
              matchIndex: 0,
            },
            match: { path: { type: 'PathPrefix', value: '/' } },
            backends: upstreams.map((upstream) => ({ upstream, weight: 1 })),
          },
        ],
      },
    ],
  };
}
