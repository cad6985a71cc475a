/**
 * The `stream {}` part of the configuration: TCP and UDP listeners forwarding to one route's
 * backends, and TLS passthrough listeners that read the SNI (`ssl_preread`) and forward the
 * still-encrypted connection by `map $ssl_preread_server_name`. Weighted backends go through
 * `split_clients`; an invalid backend's share goes to an upstream whose only server is down,
 * so those connections are closed (the spec's "refuse connections"). One file for every
 * Gateway: sockets are shared, and the first Gateway (by namespace/name) keeps a port.
 */
import type { GatewayIR, StreamRouteIR, StreamServerIR, UpstreamIR } from '@portico/ir';
import { RenderError } from './errors.ts';
import { keptShares, percent } from './backends.ts';
import { gatewayTag } from './gateway-file.ts';
import {
  blank,
  block,
  comment,
  directive,
  entry,
  serialize,
  word,
  type ConfNode,
} from './syntax.ts';
import { checkHostname, checkId, checkPort, endpointAddress } from './validate.ts';

/** The stream file, included in `stream {}` when any Gateway has stream servers. */
export const STREAM_FILE = 'stream/servers.conf';
/** The upstream of refused connections: its one server is marked down. */
const CLOSED = 'portico_closed';

export interface StreamFile {
  contents: string;
  warnings: string[];
}

/**
 * Renders every Gateway's stream servers, or undefined when there are none. `httpPorts` are
 * the TCP ports already served by `http {}`: a stream server on one of them is left out
 * with a warning (one TCP socket cannot belong to both modules).
 */
export function renderStreamFile(
  gateways: readonly { ir: GatewayIR; field: string }[],
  portOffset: number,
  httpPorts: ReadonlySet<number>,
): StreamFile | undefined {
  const warnings: string[] = [];
  const taken = new Set<string>();
  const parts: ConfNode[] = [];
  for (const { ir, field } of gateways) {
    const servers = ir.streamServers ?? [];
    if (servers.length === 0) continue;
    const { namespace, name } = ir.gateway;
    const tag = gatewayTag(ir.gateway);
    const upstreams = upstreamNames(ir.upstreams, tag, `${field}.upstreams`);
    const nodes: ConfNode[] = [];
    const used = new Set<string>();
    servers.forEach((server, s) => {
      const at = `${field}.streamServers[${s}]`;
      checkPort(server.port, `${at}.port`);
      const port = checkPort(server.port + portOffset, `${at}.port (with offset ${portOffset})`);
      const socket = `${port}/${server.transport}`;
      if (taken.has(socket) || (server.transport === 'tcp' && httpPorts.has(port))) {
        warnings.push(`${namespace}/${name}: ${socket} is already served, left out`);
        return;
      }
      taken.add(socket);
      const ctx = { tag, port, server, upstreams, used, at };
      nodes.push(...serverNodes(ctx));
    });
    parts.push(
      blank,
      comment(`Gateway ${namespace}/${name} (tag ${tag})`),
      ...upstreamBlocks(ir.upstreams, upstreams, used),
      ...nodes,
    );
  }
  if (parts.length === 0) return undefined;
  const header: ConfNode[] = [
    comment('Stream servers rendered by Portico: do not edit.'),
    comment('Connections of invalid backends go here and are closed.'),
    block('upstream', [word(CLOSED)], [directive('server', word('127.0.0.1:1'), word('down'))]),
  ];
  return { contents: serialize([...header, ...parts]), warnings };
}

interface ServerContext {
  tag: string;
  port: number;
  server: StreamServerIR;
  /** IR upstream name → NGINX upstream name (only upstreams with endpoints). */
  upstreams: ReadonlyMap<string, string>;
  used: Set<string>;
  at: string;
}

function upstreamNames(list: UpstreamIR[], tag: string, at: string): Map<string, string> {
  const names = new Map<string, string>();
  list.forEach((u, i) => {
    const name = checkId(u.name, `${at}[${i}].name`);
    if (u.endpoints.length > 0) names.set(name, `gw_${tag}__${name}`);
  });
  return names;
}

/** `upstream` blocks of the upstreams the stream servers use, in IR order. */
function upstreamBlocks(
  list: UpstreamIR[],
  names: ReadonlyMap<string, string>,
  used: ReadonlySet<string>,
): ConfNode[] {
  return list.flatMap((u, i) => {
    const name = names.get(u.name);
    if (name === undefined || !used.has(name)) return [];
    const servers = u.endpoints.map((e, j) =>
      directive(
        'server',
        word(endpointAddress(e.address, e.port, `upstreams[${i}].endpoints[${j}]`)),
      ),
    );
    return [block('upstream', [word(name)], servers)];
  });
}

function serverNodes(ctx: ServerContext): ConfNode[] {
  const { server, port, tag } = ctx;
  const variable = `portico_${tag}_${port}_${server.transport}`;
  const listen =
    server.transport === 'udp'
      ? directive('listen', word(port), word('udp'))
      : directive('listen', word(port));
  if (server.protocol !== 'TLSPassthrough') {
    if (server.routes.length > 1) {
      throw new RenderError(`${ctx.at}.routes`, `${server.protocol} servers take one route`);
    }
    const route = server.routes[0];
    const { pre, target } = routeTarget(route, ctx, variable, `${ctx.at}.routes[0]`);
    return [...pre, block('server', [], [listen, directive('proxy_pass', word(target))])];
  }
  const pre: ConfNode[] = [];
  const entries: ConfNode[] = [];
  let fallback = CLOSED;
  server.routes.forEach((route, r) => {
    const at = `${ctx.at}.routes[${r}]`;
    const resolved = routeTarget(route, ctx, `${variable}_${r}`, at);
    pre.push(...resolved.pre);
    if (route.hostname === '*') fallback = resolved.target;
    else
      entries.push(
        entry(word(checkHostname(route.hostname, `${at}.hostname`)), word(resolved.target)),
      );
  });
  const map = block(
    'map',
    [word('$ssl_preread_server_name'), word(`$${variable}`)],
    [directive('hostnames'), ...entries, entry(word('default'), word(fallback))],
  );
  const body = [
    listen,
    directive('ssl_preread', word('on')),
    directive('proxy_pass', word(`$${variable}`)),
  ];
  return [...pre, map, block('server', [], body)];
}

/** Where a route's connections go: an upstream, a split variable, or the closed upstream. */
function routeTarget(
  route: StreamRouteIR | undefined,
  ctx: ServerContext,
  variable: string,
  at: string,
): { pre: ConfNode[]; target: string } {
  const shares = mergeShares(route, ctx, at);
  if (shares.length === 0) return { pre: [], target: CLOSED };
  const [only] = shares;
  if (shares.length === 1 && only !== undefined) return { pre: [], target: only.target };
  const kept = keptShares(shares.map((s) => ({ target: s.target, weight: s.weight })));
  const entries = kept.map((s) =>
    entry(word(s.last ? '*' : percent(s.bp)), word(s.target ?? CLOSED)),
  );
  const split = block(
    'split_clients',
    [word('$remote_addr$remote_port'), word(`$${variable}`)],
    entries,
  );
  return { pre: [split], target: `$${variable}` };
}

function mergeShares(
  route: StreamRouteIR | undefined,
  ctx: ServerContext,
  at: string,
): { target: string; weight: number }[] {
  const merged = new Map<string, { target: string; weight: number }>();
  (route?.backends ?? []).forEach((b, i) => {
    if (!Number.isInteger(b.weight) || b.weight < 0) {
      throw new RenderError(`${at}.backends[${i}].weight`, 'weight must be a non-negative integer');
    }
    if (b.weight === 0) return;
    const upstream =
      b.upstream === null
        ? undefined
        : ctx.upstreams.get(checkId(b.upstream, `${at}.backends[${i}].upstream`));
    const target = upstream ?? CLOSED;
    if (upstream !== undefined) ctx.used.add(upstream);
    const known = merged.get(target);
    if (known !== undefined) known.weight += b.weight;
    else merged.set(target, { target, weight: b.weight });
  });
  const shares = [...merged.values()];
  // Every share refused: no split needed, the connection is closed.
  return shares.every((s) => s.target === CLOSED) ? [] : shares;
}
