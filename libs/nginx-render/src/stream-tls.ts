/**
 * TLS listeners on the `stream` module: one public socket per port reads the SNI
 * (`ssl_preread`) and sends each connection, by `map $ssl_preread_server_name`, to
 *
 * - a Passthrough route's upstream, still encrypted;
 * - a Terminate route's terminator: an internal stream server on a unix socket that ends TLS
 *   with the listener's certificates and forwards the plain bytes (TLSRouteModeTerminate);
 * - the port's HTTPS servers, when HTTPS listeners share the port: `http {}` then listens on
 *   a unix socket instead of the port (one TCP socket cannot belong to both modules), and
 *   keeps choosing its certificate by SNI and answering 421 as on a port of its own.
 *
 * NGINX's `map ... hostnames` picks exact names, then the longest wildcard, then `default`:
 * the order in which Gateway API picks the most specific listener, so the names of every
 * listener of the port (TLS and HTTPS) go into the one map. An SNI that matches no route
 * goes to the HTTPS servers when the port has some (they refuse unknown names as they do on
 * a port of their own), else to the closed upstream.
 *
 * Known gap: the internal servers see the unix socket as the client address (no PROXY
 * protocol, which the front would have to send to passthrough backends too).
 */
import type { GatewayIR, StreamRouteIR } from '@portico/ir';
import { RenderError } from './errors.ts';
import { CLOSED, routeTarget, type ServerContext } from './stream-targets.ts';
import { block, comment, directive, entry, str, word, type ConfNode } from './syntax.ts';
import { certificateFile, type CertificateFile } from './tls.ts';
import { checkHostname } from './validate.ts';

/** `sun_path` holds 108 bytes with the terminating NUL. */
const MAX_SOCKET_PATH = 107;
/** The IR's hostname of a route that takes any SNI. */
const ANY = '*';

/** The HTTPS servers of a port that also has TLS listeners: where they listen instead. */
export interface HttpsBehind {
  /** Unix socket path of the port's `http {}` servers. */
  socket: string;
  /** NGINX upstream that reaches it. */
  upstream: string;
  /** Hostnames of the port's HTTPS listeners (`*` for one without a hostname). */
  hostnames: string[];
}

/** What a TLS server needs beyond the shared stream context. */
export interface TlsServerContext extends ServerContext {
  /** Directory of the internal servers' unix sockets. */
  socketDir: string;
  https: HttpsBehind | undefined;
  /** Certificates the terminators name, by path (the renderer service writes them). */
  certificates: Map<string, CertificateFile>;
}

/** A unix socket path for an internal server, checked against the kernel's limit. */
export function socketPath(dir: string, name: string, field: string): string {
  const path = `${dir.replace(/\/+$/, '')}/${name}.sock`;
  if (!path.startsWith('/')) throw new RenderError(field, 'socket directory must be absolute');
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH) {
    throw new RenderError(
      field,
      `unix socket path ${path} is longer than ${MAX_SOCKET_PATH} bytes`,
    );
  }
  return path;
}

/**
 * Ports (after the offset) where TLS stream listeners and HTTPS listeners meet, with the unix
 * socket the HTTPS servers move to. Over every Gateway of the data plane: sockets are shared.
 */
export function frontedPorts(
  gateways: readonly GatewayIR[],
  portOffset: number,
  socketDir: string,
): Map<number, string> {
  const tls = new Set(
    gateways.flatMap((g) =>
      (g.streamServers ?? []).filter((s) => s.protocol === 'TLS').map((s) => s.port + portOffset),
    ),
  );
  const fronted = new Map<number, string>();
  for (const g of gateways) {
    for (const s of g.httpServers) {
      const port = s.port + portOffset;
      if (s.protocol === 'HTTPS' && tls.has(port)) {
        fronted.set(port, socketPath(socketDir, `https_${port}`, 'settings.paths.tempDir'));
      }
    }
  }
  return fronted;
}

/** The SNI map, the terminators and the public server of one TLS port. */
export function tlsServerNodes(ctx: TlsServerContext): ConfNode[] {
  const variable = `portico_${ctx.tag}_${ctx.port}_tcp`;
  const pre: ConfNode[] = [];
  const entries = new Map<string, string>();
  let fallback: string | undefined;
  ctx.server.routes.forEach((route, r) => {
    const at = `${ctx.at}.routes[${r}]`;
    const resolved =
      route.terminate === undefined
        ? routeTarget(route, ctx, `${variable}_${r}`, at)
        : terminator(route, r, ctx, `${variable}_${r}`, at);
    pre.push(...resolved.pre);
    if (route.hostname === ANY) fallback = resolved.target;
    else entries.set(checkHostname(route.hostname, `${at}.hostname`), resolved.target);
  });
  if (ctx.https !== undefined) {
    for (const host of ctx.https.hostnames) {
      if (host !== ANY && !entries.has(host)) entries.set(host, ctx.https.upstream);
    }
    pre.push(socketUpstream(ctx.https.upstream, ctx.https.socket, `${ctx.at}.https`));
  }
  const map = block(
    'map',
    [word('$ssl_preread_server_name'), word(`$${variable}`)],
    [
      directive('hostnames'),
      ...[...entries].map(([host, target]) => entry(word(host), word(target))),
      entry(word('default'), word(fallback ?? ctx.https?.upstream ?? CLOSED)),
    ],
  );
  const body = [
    directive('listen', word(ctx.port)),
    directive('ssl_preread', word('on')),
    directive('proxy_pass', word(`$${variable}`)),
  ];
  return [...pre, map, block('server', [], body)];
}

/**
 * An internal server that ends TLS with the route's (listener's) certificates and forwards
 * the plain connection; the map sends the route's SNI names to its upstream.
 */
function terminator(
  route: StreamRouteIR,
  r: number,
  ctx: TlsServerContext,
  variable: string,
  at: string,
): { pre: ConfNode[]; target: string } {
  const certificates = (route.terminate ?? []).map((c, i) =>
    certificateFile(c, `${at}.terminate[${i}]`),
  );
  if (certificates.length === 0) {
    throw new RenderError(`${at}.terminate`, 'a terminating route needs a certificate');
  }
  for (const c of certificates) ctx.certificates.set(c.certificatePath, c);
  const name = `portico_term_${ctx.tag}_${ctx.port}_${r}`;
  const socket = socketPath(ctx.socketDir, `${ctx.tag}_${ctx.port}_${r}`, `${at}.terminate`);
  const inner = routeTarget(route, ctx, variable, at, '$connection');
  const server = block(
    'server',
    [],
    [
      directive(
        'listen',
        str(`unix:${socket}`, 'settings.paths.tempDir', 'variables'),
        word('ssl'),
      ),
      ...certificates.flatMap((c) => [
        directive('ssl_certificate', str(c.certificatePath, `${at}.terminate`, 'variables')),
        directive('ssl_certificate_key', str(c.keyPath, `${at}.terminate`, 'variables')),
      ]),
      directive('proxy_pass', word(inner.target)),
    ],
  );
  return {
    pre: [
      comment(`terminates TLS for ${route.source.namespace}/${route.source.name}`, at),
      socketUpstream(name, socket, at),
      ...inner.pre,
      server,
    ],
    target: name,
  };
}

function socketUpstream(name: string, socket: string, field: string): ConfNode {
  return block(
    'upstream',
    [word(name)],
    [directive('server', str(`unix:${socket}`, field, 'variables'))],
  );
}
