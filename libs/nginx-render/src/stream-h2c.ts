/**
 * h2c from clients on a cleartext port that also serves HTTP/1.1, on NGINX before 1.25.1.
 *
 * NGINX 1.22 serves a `listen <port> http2` socket as HTTP/2 only (it refuses HTTP/1.1), and
 * a plain `listen <port>` as HTTP/1.x only, so one port cannot take both. Gateway API wants
 * both on the HTTP listener that serves a route with an `appProtocol: kubernetes.io/h2c`
 * backend (HTTPRouteBackendProtocolH2C). So on such a port only, a `stream` server owns the
 * port and peeks at each connection's first bytes with njs (`js_preread`, h2c-preread.js): a
 * connection that opens with the HTTP/2 client preface (`PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n`,
 * RFC 9113 section 3.4) goes to the port's `http` servers listening on one unix socket with
 * `http2`, every other connection to the same servers on a second unix socket without it.
 * The stream hop sends the PROXY protocol and the http servers take the client address from
 * it (realip), so `$remote_addr` and X-Forwarded-For stay the client's.
 *
 * Every other port keeps its direct `listen <port>`: the extra hop costs a stream proxy per
 * connection, and the data-plane benchmark measures the direct path.
 */
import type { GatewayIR } from '@portico/ir';
import type { PlannedServer } from './plan.ts';
import { socketPath } from './stream-tls.ts';
import { blank, block, comment, directive, entry, str, word, type ConfNode } from './syntax.ts';

/** The stream file of the h2c fronts, included in `stream {}` when there are any. */
export const H2C_STREAM_FILE = 'stream/h2c.conf';
/** The njs module the fronts read the client preface with; relative to the config dir. */
export const H2C_SCRIPT_FILE = 'stream/h2c-preread.js';
/** The stream njs module, loaded only when a configuration has h2c fronts. */
export const STREAM_JS_MODULE = 'ngx_stream_js_module.so';
const STREAM_MODULE = 'ngx_stream_module.so';
/**
 * Idle limit of the stream hop. The `http` servers behind it already bound idle clients and
 * backends (keepalive, header and per-rule proxy timeouts); the stream default (10m) would
 * cut a route whose timeouts allow a longer silent wait, so the hop's own limit is far out.
 */
const HOP_IDLE_TIMEOUT = '24h';

/**
 * The preread handler. njs 0.7.9 calls `upload` in the preread phase with everything the
 * client has sent so far, as a byte string (not just the new bytes: checked, the first call
 * even comes with none). While that is a proper prefix of the preface it returns and waits
 * for more (`preread_timeout` bounds it); then it sets `$portico_h2c` and lets the proxy
 * phase run (`s.done()`). The bytes read stay in the preread buffer and are forwarded.
 */
export const H2C_SCRIPT = `// Rendered by Portico: do not edit. See nginx-render/src/stream-h2c.ts.
var PREFACE = 'PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n';

function preread(s) {
  s.on('upload', function (data, flags) {
    var n = Math.min(data.length, PREFACE.length);
    var prefix = data.slice(0, n) === PREFACE.slice(0, n);
    if (prefix && n < PREFACE.length && !flags.last) return;
    s.variables.portico_h2c = prefix && n === PREFACE.length ? 'h2' : 'http1';
    s.off('upload');
    s.done();
  });
}

export default { preread };
`;

/** One fronted port: where its `http` servers listen instead of the port. */
export interface H2cFront {
  /** Listening port after the offset. */
  port: number;
  /** Unix socket of the servers for HTTP/1.x connections. */
  http1Socket: string;
  /** Unix socket of the same servers with `http2`, for prior-knowledge connections. */
  h2Socket: string;
}

/**
 * Cleartext ports (after the offset) that must take both HTTP/1.x and h2c, ascending: those
 * whose planned servers proxy some rule to an h2c upstream, and those that serve GRPCRoutes
 * (h2c from gRPC clients) beside HTTPRoutes (HTTP/1.1 clients). A port with GRPCRoutes only
 * stays a direct `listen ... http2`. `servers[i]` are the planned servers of `gateways[i]`:
 * the plan has already given each port to one protocol, so HTTPS servers (tls set) never count.
 */
export function h2cFronts(
  gateways: readonly GatewayIR[],
  servers: readonly (readonly PlannedServer[])[],
  socketDir: string,
): H2cFront[] {
  const ports = new Set<number>();
  const grpcPorts = new Set<number>();
  const http1Ports = new Set<number>();
  gateways.forEach((ir, g) => {
    const h2c = new Set(ir.upstreams.filter((u) => u.protocol === 'h2c').map((u) => u.name));
    for (const server of servers[g] ?? []) {
      if (server.tls !== undefined || server.socket !== undefined) continue;
      const uses = server.vhost.rules.some((rule) =>
        rule.backends.some((b) => b.upstream !== null && h2c.has(b.upstream)),
      );
      if (uses) ports.add(server.port);
      if (server.http2 === true) grpcPorts.add(server.port);
      if (server.vhost.rules.some((rule) => rule.source.kind !== 'GRPCRoute'))
        http1Ports.add(server.port);
    }
  });
  for (const port of grpcPorts) if (http1Ports.has(port)) ports.add(port);
  return [...ports]
    .sort((a, b) => a - b)
    .map((port) => ({
      port,
      http1Socket: socketPath(socketDir, `http1_${port}`, 'settings.paths.socketDir'),
      h2Socket: socketPath(socketDir, `h2c_${port}`, 'settings.paths.socketDir'),
    }));
}

/** The planned servers with the front of their port set, when it has one. */
export function withH2cFronts(
  servers: readonly PlannedServer[][],
  fronts: readonly H2cFront[],
): PlannedServer[][] {
  if (fronts.length === 0) return servers.map((list) => [...list]);
  const byPort = new Map(fronts.map((f) => [f.port, f]));
  return servers.map((list) =>
    list.map((s) => {
      const front = s.tls === undefined ? byPort.get(s.port) : undefined;
      return front === undefined ? s : { ...s, h2cFront: front };
    }),
  );
}

/**
 * The `listen` lines of an `http` server behind a front (both sockets, PROXY protocol), and
 * the realip lines that make the PROXY header's client address `$remote_addr`.
 */
export function h2cListen(front: H2cFront, defaultServer: boolean): ConfNode[] {
  const last = defaultServer ? [word('default_server')] : [];
  return [
    directive('listen', unix(front.http1Socket), word('proxy_protocol'), ...last),
    directive('listen', unix(front.h2Socket), word('http2'), word('proxy_protocol'), ...last),
    directive('set_real_ip_from', word('unix:')),
    directive('real_ip_header', word('proxy_protocol')),
  ];
}

/** Generated 404 default servers for fronted ports without a catch-all virtual host. */
export function h2cDefaultServers(fronts: readonly H2cFront[]): ConfNode[] {
  return fronts.flatMap((front) => [
    blank,
    block('server', [], [...h2cListen(front, true), directive('return', word(404))]),
  ]);
}

/** The stream servers of the fronts: njs import, protocol variable, per-port map and server. */
export function h2cStreamNodes(fronts: readonly H2cFront[]): ConfNode[] {
  const head: ConfNode[] = [
    comment('h2c and HTTP/1.1 on one cleartext port: the client preface picks the socket.'),
    directive('js_import', word('portico_h2c'), word('from'), str(H2C_SCRIPT_FILE, 'include')),
    directive('js_var', word('$portico_h2c')),
  ];
  return [...head, ...fronts.flatMap(frontNodes)];
}

function frontNodes(front: H2cFront): ConfNode[] {
  const name = `portico_h2c_${front.port}`;
  const field = `h2c front of port ${front.port}`;
  return [
    blank,
    block('upstream', [word(`${name}_h2`)], [directive('server', unix(front.h2Socket, field))]),
    block(
      'upstream',
      [word(`${name}_http1`)],
      [directive('server', unix(front.http1Socket, field))],
    ),
    block(
      'map',
      [word('$portico_h2c'), word(`$${name}`)],
      [entry(word('h2'), word(`${name}_h2`)), entry(word('default'), word(`${name}_http1`))],
    ),
    block(
      'server',
      [],
      [
        directive('listen', word(front.port)),
        directive('js_preread', word('portico_h2c.preread')),
        directive('proxy_pass', word(`$${name}`)),
        directive('proxy_protocol', word('on')),
        directive('proxy_timeout', word(HOP_IDLE_TIMEOUT)),
      ],
    ),
  ];
}

/**
 * `modules` with the stream njs module added beside the stream module (Debian's layout), when
 * it is not listed yet. A build with a static stream module lists neither: nothing is added,
 * and such a build must have njs built in too.
 */
export function withStreamJs(modules: readonly string[]): string[] {
  if (modules.some((m) => m.endsWith(`/${STREAM_JS_MODULE}`))) return [...modules];
  const stream = modules.findIndex((m) => m.endsWith(`/${STREAM_MODULE}`));
  if (stream < 0) return [...modules];
  const dir = (modules[stream] ?? '').slice(0, -STREAM_MODULE.length);
  return [
    ...modules.slice(0, stream + 1),
    `${dir}${STREAM_JS_MODULE}`,
    ...modules.slice(stream + 1),
  ];
}

function unix(path: string, field = 'settings.paths.socketDir'): ReturnType<typeof word> {
  return str(`unix:${path}`, field, 'variables');
}
