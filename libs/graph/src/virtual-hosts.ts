/**
 * Which virtual hosts a Gateway serves on each port, and which listener owns each one.
 *
 * Listener isolation (Gateway API, GatewayHTTPListenerIsolation): a request is handled by the
 * most specific listener whose hostname matches it, and only routes attached to that
 * listener may answer. Served hostnames are intersections of route and listener hostnames,
 * so a route on a broad listener can produce a name that a narrower listener on the same
 * port owns (a route on `*.example.com` with hostname `abc.foo.example.com`, next to a
 * listener `abc.foo.example.com`); such a name is dropped from the broad listener. A
 * listener that a broader one on its port could shadow also gets a virtual host for its own
 * hostname, even without routes, so that NGINX's server_name selection (exact, then longest
 * wildcard, then default) always lands in the most specific listener: an unrouted name there
 * answers 404 rather than falling through to a broader listener's routes.
 */
import { hostnameMatches } from './hostnames.ts';
import type { GatewayNode, Graph, ListenerNode, RouteNode } from './types.ts';

/** The IR's name for "any host": the virtual host of a listener without a hostname. */
export const ANY_HOST = '*';

export interface PortHosts<C> {
  protocol: 'HTTP' | 'HTTPS';
  /** Served listeners on this port, in spec order. */
  listeners: ListenerNode[];
  /** Hostname → owning listener and the candidates of the routes bound there. */
  hosts: Map<string, { listener: string; candidates: C[] }>;
}

/**
 * Port → its virtual hosts, from every accepted binding to a served listener, after
 * isolation. `candidatesOf` turns a route into whatever the caller sorts into rules.
 */
export function collectVirtualHosts<C>(
  graph: Graph,
  gateway: GatewayNode,
  candidatesOf: (route: RouteNode) => C[],
): Map<number, PortHosts<C>> {
  const ports = new Map<number, PortHosts<C>>();
  if (!gateway.accepted) return ports;
  // TCP, UDP and TLS listeners are served by the stream module (buildStreamIR).
  const http = gateway.listeners.filter(
    (l) => l.served && (l.source.protocol === 'HTTP' || l.source.protocol === 'HTTPS'),
  );
  for (const listener of http) {
    const port: PortHosts<C> = ports.get(listener.source.port) ?? {
      protocol: listener.source.protocol === 'HTTPS' ? 'HTTPS' : 'HTTP',
      listeners: [],
      hosts: new Map(),
    };
    port.listeners.push(listener);
    ports.set(listener.source.port, port);
  }
  for (const port of ports.values()) {
    for (const listener of port.listeners.filter((l) => needsOwnHost(l, port))) {
      port.hosts.set(listenerHostname(listener), { listener: listener.name, candidates: [] });
    }
  }
  for (const route of graph.routes.values()) {
    for (const parent of route.parents) {
      if (parent.gatewayKey !== gateway.key) continue;
      for (const binding of parent.bindings) {
        const listener = gateway.listeners.find((l) => l.name === binding.listenerName);
        const port = listener?.served ? ports.get(listener.source.port) : undefined;
        if (listener === undefined || port === undefined) continue;
        for (const hostname of binding.hostnames) {
          if (owningListener(hostname, port.listeners) !== listener) continue;
          const host = port.hosts.get(hostname) ?? { listener: listener.name, candidates: [] };
          host.candidates.push(...candidatesOf(route));
          port.hosts.set(hostname, host);
        }
      }
    }
  }
  return ports;
}

/**
 * Whether a listener needs a virtual host of its own even without routes: always on HTTPS
 * (the server block carries its certificate, selected by SNI), and on HTTP when a broader
 * listener on the port would otherwise catch its names. A lone HTTP listener does not: the
 * port's default server answers 404 already, and leaving it out keeps the config small.
 */
function needsOwnHost<C>(listener: ListenerNode, port: PortHosts<C>): boolean {
  if (port.protocol === 'HTTPS') return true;
  const own = listenerHostname(listener);
  return port.listeners.some(
    (other) => other !== listener && specificity(other.source.hostname, own) >= 0,
  );
}

/** The virtual host name of a listener's own hostname (`*` without one). */
export function listenerHostname(listener: ListenerNode): string {
  return listener.source.hostname ?? ANY_HOST;
}

/**
 * The most specific listener whose hostname covers `hostname` (an exact name, a `*.`
 * wildcard, or `*`): an exact listener hostname first, then the longest wildcard, then a
 * listener without a hostname. Listeners on one port never share a hostname (that is a
 * conflict, and conflicted listeners are not served), so the answer is unique.
 */
export function owningListener(
  hostname: string,
  listeners: readonly ListenerNode[],
): ListenerNode | undefined {
  let best: ListenerNode | undefined;
  let bestRank = -1;
  for (const listener of listeners) {
    const rank = specificity(listener.source.hostname, hostname);
    if (rank > bestRank) {
      best = listener;
      bestRank = rank;
    }
  }
  return best;
}

/** -1: does not cover; 0: any host; 1 + length: a wildcard; Infinity: the exact name. */
function specificity(pattern: string | undefined, hostname: string): number {
  if (pattern === undefined) return 0;
  if (pattern === hostname) return pattern.startsWith('*.') ? 1 + pattern.length : Infinity;
  if (!pattern.startsWith('*.') || hostname === ANY_HOST) return -1;
  const name = hostname.startsWith('*.') ? hostname.slice(2) : hostname;
  return hostnameMatches(pattern, name) ? 1 + pattern.length : -1;
}
