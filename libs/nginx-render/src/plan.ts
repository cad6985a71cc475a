/**
 * Which `server` blocks exist, across every Gateway served by one NGINX. Several Gateways may
 * share one NGINX (local mode) and even one port, and NGINX refuses two `default_server`s on
 * one port and warns about (then ignores) a second server with the same name. So the plan
 * claims each (port, hostname) once, first Gateway first (Gateways are sorted by
 * namespace/name): the first catch-all (`*`) of a port becomes its default server; a later
 * duplicate is left out with a warning. Ports without a catch-all get a generated default
 * server that answers 404, so an unknown Host never falls into some other virtual host.
 */
import type { ClientValidationIR, GatewayIR, HttpServerIR, VirtualHostIR } from '@portico/ir';
import { caBundleFile } from './backend-tls.ts';
import { RenderError } from './errors.ts';
import type { H2cFront } from './stream-h2c.ts';
import {
  certificateFile,
  checkTlsListener,
  sniVariable,
  type CertificateFile,
  type ServerTls,
  type TlsPort,
} from './tls.ts';
import { checkHostname, checkPort } from './validate.ts';

/** The hostname the IR uses for a listener without a hostname. */
export const CATCH_ALL = '*';

/** One `server` block to write into a Gateway's file. */
export interface PlannedServer {
  /** Listening port after the offset. */
  port: number;
  vhost: VirtualHostIR;
  /** Path of the virtual host in the input, for error messages. */
  field: string;
  /** True for the catch-all virtual host that owns `default_server` on its port. */
  defaultServer: boolean;
  /** Cleartext h2c on the port (a GRPCRoute is served there; see grpc.ts). */
  http2?: true;
  /** HTTPS: certificates and the listener this host belongs to. */
  tls?: ServerTls;
  /** HTTPS behind the port's TLS stream server: the unix socket to listen on instead. */
  socket?: string;
  /** Cleartext port fronted for h2c (stream-h2c.ts): listen on its two sockets instead. */
  h2cFront?: H2cFront;
}

export interface ServerPlan {
  /** Per Gateway (same order as the input), its server blocks in IR order. */
  servers: PlannedServer[][];
  /** Ports (after offset) that need a generated 404 default server, ascending. */
  uncoveredPorts: number[];
  /** Every hostname written as a server_name, for sizing NGINX's hash tables. */
  serverNames: string[];
  /** Virtual hosts left out because an earlier Gateway already serves them. */
  warnings: string[];
  /** HTTPS ports (after offset) with their SNI maps, ascending. */
  tlsPorts: TlsPort[];
  /** Every certificate the servers name, by path, sorted: the files the renderer writes. */
  certificates: CertificateFile[];
}

/**
 * Plans server blocks; `fields[i]` names gateway i in error messages. `fronted`: HTTPS ports
 * whose servers listen on a unix socket behind a TLS stream server (see stream-tls.ts).
 */
export function planServers(
  gateways: GatewayIR[],
  fields: string[],
  portOffset: number,
  fronted: ReadonlyMap<number, string> = new Map(),
): ServerPlan {
  const claims = new Map<number, Set<string>>();
  const protocols = new Map<number, HttpServerIR['protocol']>();
  const tlsPorts = new Map<number, TlsPort>();
  const certificates = new Map<string, CertificateFile>();
  const plan: ServerPlan = {
    servers: [],
    uncoveredPorts: [],
    serverNames: [],
    warnings: [],
    tlsPorts: [],
    certificates: [],
  };
  gateways.forEach((gateway, g) => {
    const out: PlannedServer[] = [];
    const { namespace, name } = gateway.gateway;
    gateway.httpServers.forEach((server, s) => {
      const at = `${fields[g] ?? `gateways[${g}]`}.httpServers[${s}]`;
      checkPort(server.port, `${at}.port`);
      const port = checkPort(server.port + portOffset, `${at}.port (with offset ${portOffset})`);
      const protocol = protocols.get(port) ?? server.protocol;
      if (protocol !== server.protocol) {
        plan.warnings.push(
          `${namespace}/${name}: port ${port} is already served as ${protocol}, ${server.protocol} left out`,
        );
        return;
      }
      protocols.set(port, protocol);
      const tls = protocol === 'HTTPS' ? planTls(server, port, `${namespace}/${name}`, at) : null;
      const socket = tls === null ? undefined : fronted.get(port);
      if (tls !== null && socket !== undefined) tls.port.socket = socket;
      if (tls !== null) mergeTlsPort(tlsPorts, tls.port, plan.warnings, `${namespace}/${name}`);
      const names = claims.get(port) ?? new Set<string>();
      claims.set(port, names);
      server.virtualHosts.forEach((vhost, v) => {
        const field = `${at}.virtualHosts[${v}]`;
        const host = vhost.hostname;
        if (host !== CATCH_ALL) checkHostname(host, `${field}.hostname`);
        if (names.has(host)) {
          plan.warnings.push(
            `${namespace}/${name}: port ${port} host ${host} is already served, left out`,
          );
          return;
        }
        const serverTls = tls === null ? undefined : tls.forHost(vhost, field);
        names.add(host);
        if (host !== CATCH_ALL) plan.serverNames.push(host);
        for (const c of serverTls?.certificates ?? []) certificates.set(c.certificatePath, c);
        const ca = serverTls?.clientValidation?.ca;
        if (ca !== undefined) certificates.set(ca.certificatePath, ca);
        out.push({
          port,
          vhost,
          field,
          defaultServer: host === CATCH_ALL,
          ...(server.http2 === true && serverTls === undefined ? { http2: true as const } : {}),
          ...(serverTls === undefined ? {} : { tls: serverTls }),
          ...(socket === undefined ? {} : { socket }),
        });
      });
    });
    plan.servers.push(out);
  });
  plan.uncoveredPorts = [...claims]
    .filter(([, names]) => !names.has(CATCH_ALL))
    .map(([port]) => port)
    .sort((a, b) => a - b);
  plan.tlsPorts = [...tlsPorts.values()].sort((a, b) => a.port - b.port);
  plan.certificates = [...certificates.values()].sort((a, b) =>
    a.certificatePath < b.certificatePath ? -1 : 1,
  );
  return plan;
}

interface PortTls {
  port: TlsPort;
  forHost(vhost: VirtualHostIR, field: string): ServerTls;
}

/** The TLS listeners of one HTTPS server of a Gateway, checked, with their certificates. */
function planTls(server: HttpServerIR, port: number, gateway: string, at: string): PortTls {
  const variable = sniVariable(port);
  const byName = new Map<string, ServerTls>();
  const listeners = new Map<string, string>();
  (server.listeners ?? []).forEach((listener, l) => {
    const field = `${at}.listeners[${l}]`;
    const hostname = checkTlsListener(listener, field);
    const listenerId = `${gateway}/${listener.name}`;
    const certs = listener.certificates.map((c, i) =>
      certificateFile(c, `${field}.certificates[${i}]`),
    );
    const client = listener.clientValidation;
    const clientValidation =
      client === undefined ? undefined : checkClientValidation(client, `${field}.clientValidation`);
    byName.set(listener.name, {
      listenerId,
      sniVariable: variable,
      certificates: certs,
      ...(clientValidation === undefined ? {} : { clientValidation }),
    });
    listeners.set(hostname, listenerId);
  });
  return {
    port: { port, sniVariable: variable, listeners },
    forHost(vhost, field) {
      const tls = vhost.listener === undefined ? undefined : byName.get(vhost.listener);
      if (tls === undefined) {
        throw new RenderError(`${field}.listener`, 'names no listener of this HTTPS server');
      }
      return tls;
    },
  };
}

/** A listener's client validation, checked: a known mode and at least one CA. */
function checkClientValidation(
  client: ClientValidationIR,
  field: string,
): NonNullable<ServerTls['clientValidation']> {
  const { mode, trustedCertificates } = client;
  if (mode !== 'AllowValidOnly' && mode !== 'AllowInsecureFallback') {
    throw new RenderError(`${field}.mode`, 'must be AllowValidOnly or AllowInsecureFallback');
  }
  if (trustedCertificates.length === 0) {
    throw new RenderError(`${field}.trustedCertificates`, 'at least one CA is needed');
  }
  return { mode, ca: caBundleFile(trustedCertificates, `${field}.trustedCertificates`) };
}

/** Adds a Gateway's listeners to the port's SNI map; a hostname claimed earlier stays. */
function mergeTlsPort(
  ports: Map<number, TlsPort>,
  add: TlsPort,
  warnings: string[],
  gateway: string,
): void {
  const known = ports.get(add.port);
  if (known === undefined) {
    ports.set(add.port, add);
    return;
  }
  for (const [host, id] of add.listeners) {
    if (known.listeners.has(host)) {
      warnings.push(`${gateway}: port ${add.port} SNI ${host} belongs to an earlier Gateway`);
    } else known.listeners.set(host, id);
  }
}
