/**
 * Where a stream route's connections go: one upstream, a `split_clients` variable over
 * weighted upstreams, or the closed upstream (invalid backends: the spec's "refuse
 * connections"). Shared by the TCP/UDP servers and the TLS servers of the stream file.
 */
import type { StreamRouteIR, StreamServerIR } from '@portico/ir';
import { keptShares, percent } from './backends.ts';
import { RenderError } from './errors.ts';
import { block, entry, word, type ConfNode } from './syntax.ts';
import { checkId } from './validate.ts';

/** The upstream of refused connections: its one server is marked down. */
export const CLOSED = 'portico_closed';

/** What weighted splits hash: the client's address and port. */
const SPLIT_KEY = '$remote_addr$remote_port';

/** What the servers of one stream socket share while they are rendered. */
export interface ServerContext {
  tag: string;
  /** Listening port after the offset. */
  port: number;
  server: StreamServerIR;
  /** IR upstream name → NGINX upstream name (only upstreams with endpoints). */
  upstreams: ReadonlyMap<string, string>;
  /** NGINX upstreams a server used (only those get an `upstream` block). */
  used: Set<string>;
  at: string;
}

/**
 * A route's target. `split_clients` hashes the client's address and port: on public sockets
 * they are the connection's, and behind a TLS port's front (terminators, relays) realip has
 * put them back from the PROXY header (stream-relay.ts).
 */
export function routeTarget(
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
  const split = block('split_clients', [word(SPLIT_KEY), word(`$${variable}`)], entries);
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
