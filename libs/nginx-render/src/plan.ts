/**
 * Which `server` blocks exist, across every Gateway served by one NGINX. Several Gateways may
 * share one NGINX (local mode) and even one port, and NGINX refuses two `default_server`s on
 * one port and warns about (then ignores) a second server with the same name. So the plan
 * claims each (port, hostname) once, first Gateway first (Gateways are sorted by
 * namespace/name): the first catch-all (`*`) of a port becomes its default server; a later
 * duplicate is left out with a warning. Ports without a catch-all get a generated default
 * server that answers 404, so an unknown Host never falls into some other virtual host.
 */
import type { GatewayIR, VirtualHostIR } from '@portico/ir';
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
}

/** Plans server blocks; `fields[i]` names gateway i in error messages. */
export function planServers(
  gateways: GatewayIR[],
  fields: string[],
  portOffset: number,
): ServerPlan {
  const claims = new Map<number, Set<string>>();
  const plan: ServerPlan = { servers: [], uncoveredPorts: [], serverNames: [], warnings: [] };
  gateways.forEach((gateway, g) => {
    const out: PlannedServer[] = [];
    gateway.httpServers.forEach((server, s) => {
      const at = `${fields[g] ?? `gateways[${g}]`}.httpServers[${s}]`;
      checkPort(server.port, `${at}.port`);
      const port = checkPort(server.port + portOffset, `${at}.port (with offset ${portOffset})`);
      const names = claims.get(port) ?? new Set<string>();
      claims.set(port, names);
      server.virtualHosts.forEach((vhost, v) => {
        const field = `${at}.virtualHosts[${v}]`;
        const host = vhost.hostname;
        if (host !== CATCH_ALL) checkHostname(host, `${field}.hostname`);
        if (names.has(host)) {
          const { namespace, name } = gateway.gateway;
          plan.warnings.push(
            `${namespace}/${name}: port ${port} host ${host} is already served, left out`,
          );
          return;
        }
        names.add(host);
        if (host !== CATCH_ALL) plan.serverNames.push(host);
        out.push({ port, vhost, field, defaultServer: host === CATCH_ALL });
      });
    });
    plan.servers.push(out);
  });
  plan.uncoveredPorts = [...claims]
    .filter(([, names]) => !names.has(CATCH_ALL))
    .map(([port]) => port)
    .sort((a, b) => a - b);
  return plan;
}
