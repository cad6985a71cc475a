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
 * The client address: a front that reaches a server of ours (a terminator, the HTTPS
 * servers) sends the PROXY protocol, and those servers listen with `proxy_protocol` and take
 * the client's address and port from it (realip, `set_real_ip_from unix:`), so `$remote_addr`,
 * X-Forwarded-For, access logs and weighted splits see the client, not the socket. Passthrough
 * backends are not ours and must get the client's bytes only, but `proxy_protocol` is set per
 * `server`: on a front that also reaches servers of ours, each passthrough target is reached
 * through a relay (stream-relay.ts) that takes the PROXY header off. A port with passthrough
 * routes only sends no header and has no relay, so it costs what it did.
 */
import type { GatewayIR, StreamRouteIR } from '@portico/ir';
import { RenderError } from './errors.ts';
import { CLOSED, routeTarget, type ServerContext } from './stream-targets.ts';
import { internalListen, relayNodes, socketUpstream, trustProxyProtocol } from './stream-relay.ts';
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

/** Where one route's connections go from the front. */
interface Resolved {
  route: StreamRouteIR;
  pre: ConfNode[];
  target: string;
  /** The target is a server of ours (a terminator), which takes the PROXY protocol. */
  internal: boolean;
  at: string;
}

/** The SNI map, the terminators, the relays and the public server of one TLS port. */
export function tlsServerNodes(ctx: TlsServerContext): ConfNode[] {
  const variable = `portico_${ctx.tag}_${ctx.port}_tcp`;
  const resolved = ctx.server.routes.map((route, r): Resolved => {
    const at = `${ctx.at}.routes[${r}]`;
    const own = `${variable}_${r}`;
    return route.terminate === undefined
      ? { route, ...routeTarget(route, ctx, own, at), internal: false, at }
      : { route, ...terminator(route, r, ctx, own, at), internal: true, at };
  });
  // The header goes out when any target is ours; passthrough targets then need a relay.
  const sendsProxyProtocol = ctx.https !== undefined || resolved.some((r) => r.internal);
  const routes = sendsProxyProtocol ? withRelays(resolved, ctx) : resolved;
  const pre: ConfNode[] = routes.flatMap((r) => r.pre);
  const entries = new Map<string, string>();
  let fallback: string | undefined;
  for (const { route, target, at } of routes) {
    if (route.hostname === ANY) fallback = target;
    else entries.set(checkHostname(route.hostname, `${at}.hostname`), target);
  }
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
    ...(sendsProxyProtocol ? [directive('proxy_protocol', word('on'))] : []),
  ];
  return [...pre, map, block('server', [], body)];
}

/**
 * The routes with each passthrough target behind a relay (stream-relay.ts), so the PROXY
 * header the front sends never reaches a backend. Routes with the same target share one
 * relay, named after the first; the closed upstream needs none (nothing is connected).
 */
function withRelays(resolved: readonly Resolved[], ctx: TlsServerContext): Resolved[] {
  const relays = new Map<string, string>();
  return resolved.map((r, i) => {
    if (r.internal || r.target === CLOSED) return r;
    const known = relays.get(r.target);
    if (known !== undefined) return { ...r, target: known };
    const name = `portico_relay_${ctx.tag}_${ctx.port}_${i}`;
    relays.set(r.target, name);
    const socket = socketPath(ctx.socketDir, `relay_${ctx.tag}_${ctx.port}_${i}`, r.at);
    const purpose = `relays ${r.route.source.namespace}/${r.route.source.name} without the PROXY header`;
    const relay = relayNodes({ name, socket, target: r.target, purpose, field: r.at });
    return { ...r, pre: [...r.pre, ...relay], target: name };
  });
}

/**
 * An internal server that ends TLS with the route's (listener's) certificates and forwards
 * the plain connection; the map sends the route's SNI names to its upstream. It takes the
 * client address from the front's PROXY header, so weights split on the client as on a port
 * of its own.
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
  const inner = routeTarget(route, ctx, variable, at);
  const server = block(
    'server',
    [],
    [
      internalListen(socket, 'settings.paths.tempDir', 'ssl'),
      trustProxyProtocol(),
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
