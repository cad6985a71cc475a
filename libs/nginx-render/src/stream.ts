/**
 * The `stream {}` part of the configuration: TCP and UDP listeners forwarding to one route's
 * backends, and TLS listeners routed by SNI (stream-tls.ts: passthrough, termination, and
 * HTTPS servers behind the same port). Weighted backends go through `split_clients`; an
 * invalid backend's share goes to an upstream whose only server is down, so those
 * connections are closed (the spec's "refuse connections"). One file for every Gateway:
 * sockets are shared, and the first Gateway (by namespace/name) keeps a port.
 */
import type { GatewayIR, UpstreamIR } from '@portico/ir';
import { RenderError } from './errors.ts';
import { gatewayTag } from './gateway-file.ts';
import { CLOSED, routeTarget, type ServerContext } from './stream-targets.ts';
import { tlsServerNodes, type HttpsBehind } from './stream-tls.ts';
import { blank, block, comment, directive, serialize, word, type ConfNode } from './syntax.ts';
import type { CertificateFile } from './tls.ts';
import { checkId, checkPort, endpointAddress } from './validate.ts';

/** The stream file, included in `stream {}` when any Gateway has stream servers. */
export const STREAM_FILE = 'stream/servers.conf';

/** Where TLS ports meet the rest of the data plane. */
export interface StreamTlsSettings {
  /** Directory of the internal servers' unix sockets (terminators, HTTPS behind SNI). */
  socketDir: string;
  /** Ports (after offset) whose HTTPS servers listen behind the SNI router. */
  https: ReadonlyMap<number, HttpsBehind>;
}

export interface StreamFile {
  contents: string;
  warnings: string[];
  /** Certificates of terminating routes, by path (the renderer service writes them). */
  certificates: CertificateFile[];
}

/**
 * Renders every Gateway's stream servers, or undefined when there are none. `httpPorts` are
 * the TCP ports already served by `http {}`: a stream server on one of them is left out
 * with a warning (one TCP socket cannot belong to both modules), unless it is a TLS server
 * with the port's HTTPS servers behind it (`tls.https`).
 */
export function renderStreamFile(
  gateways: readonly { ir: GatewayIR; field: string }[],
  portOffset: number,
  httpPorts: ReadonlySet<number>,
  tls: StreamTlsSettings,
): StreamFile | undefined {
  const warnings: string[] = [];
  const certificates = new Map<string, CertificateFile>();
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
      const https = server.protocol === 'TLS' ? tls.https.get(port) : undefined;
      const onHttpPort = server.transport === 'tcp' && httpPorts.has(port) && https === undefined;
      if (taken.has(socket) || onHttpPort) {
        warnings.push(`${namespace}/${name}: ${socket} is already served, left out`);
        return;
      }
      taken.add(socket);
      const ctx = { tag, port, server, upstreams, used, at };
      nodes.push(
        ...(server.protocol === 'TLS'
          ? tlsServerNodes({ ...ctx, socketDir: tls.socketDir, https, certificates })
          : serverNodes(ctx)),
      );
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
  const certificateList = [...certificates.values()].sort((a, b) =>
    a.certificatePath < b.certificatePath ? -1 : 1,
  );
  return {
    contents: serialize([...header, ...parts]),
    warnings,
    certificates: certificateList,
  };
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

/** A TCP or UDP server: one route gets every connection. */
function serverNodes(ctx: ServerContext): ConfNode[] {
  const { server, port, tag } = ctx;
  const variable = `portico_${tag}_${port}_${server.transport}`;
  const listen =
    server.transport === 'udp'
      ? directive('listen', word(port), word('udp'))
      : directive('listen', word(port));
  if (server.routes.length > 1) {
    throw new RenderError(`${ctx.at}.routes`, `${server.protocol} servers take one route`);
  }
  const route = server.routes[0];
  const { pre, target } = routeTarget(route, ctx, variable, `${ctx.at}.routes[0]`);
  return [...pre, block('server', [], [listen, directive('proxy_pass', word(target))])];
}
