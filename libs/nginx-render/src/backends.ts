/**
 * Backends: upstream blocks, weighted splits and the proxy directives of a location. This is
 * the one seam for upstream handling (architecture: static upstreams today; Lua-balanced or
 * `resolve` upstreams later): nothing else knows how a rule reaches its endpoints.
 */
import type { BackendFiltersIR, EndpointIR, UpstreamIR, WeightedBackendIR } from '@portico/ir';
import { canonicalJson } from '@portico/ir';
import { RenderError } from './errors.ts';
import { block, directive, entry, word, type ConfNode } from './syntax.ts';
import type { HttpScope } from './scope.ts';
import { checkId, endpointAddress } from './validate.ts';
import { checkUpstreamTls, proxySslDirectives, type UpstreamTls } from './backend-tls.ts';
import { bridgeOf, type BackendTlsBridge } from './backend-tls-bridge.ts';

/** Idle keepalive connections each worker keeps per upstream. */
const KEEPALIVE_CONNECTIONS = 16;
/** The split_clients value of a share that must answer 500 (no upstream name looks like it). */
const INVALID_BACKEND = 'portico_invalid_backend';

/** Upstreams of one Gateway, named apart from other Gateways' upstreams in the same NGINX. */
export class UpstreamSet {
  /** IR upstream name → NGINX upstream name; absent for upstreams without endpoints. */
  readonly names = new Map<string, string>();
  /** IR upstream names that exist but have no endpoints (their shares answer 500). */
  readonly empty = new Set<string>();
  readonly nodes: ConfNode[] = [];
  /** NGINX upstream names whose Service port speaks WebSocket. */
  readonly websocket = new Set<string>();
  /** NGINX upstream names whose Service port speaks h2c (proxied with `grpc_pass`, h2c.ts). */
  readonly h2c = new Set<string>();
  /** NGINX upstream names that speak TLS (BackendTLSPolicy), with their settings. */
  readonly tls = new Map<string, UpstreamTls>();
  /**
   * NGINX upstream names whose TLS the renderer's bridge speaks (backend-tls-bridge.ts):
   * NGINX proxies to them in cleartext, so they are not in `tls`.
   */
  readonly bridged = new Map<string, UpstreamTls>();
  /** The bridge sockets those upstreams' servers are, by socket path. */
  readonly bridges = new Map<string, BackendTlsBridge>();
  /** The `server` addresses of each NGINX upstream (`ip:port`, or `unix:` for a bridge). */
  private readonly servers = new Map<string, string[]>();
  private readonly variants = new Set<string>();
  private readonly socketDir: string;

  constructor(socketDir: string) {
    this.socketDir = socketDir;
  }

  /**
   * An upstream that lets NGINX try `tries` times: NGINX moves to the *next* server on a
   * retry and never tries one server twice per request, so each endpoint is listed as often
   * as needed, with `max_fails=0` so retried answers do not take servers out of rotation.
   */
  retryVariant(name: string, tries: number): string {
    const variant = `${name}__t${tries}`;
    if (this.variants.has(variant)) return variant;
    const source = this.servers.get(name);
    if (source === undefined) throw new Error(`internal: unknown upstream ${name}`);
    const copies = Math.ceil(tries / source.length);
    const servers = Array.from({ length: copies }, () => source).flatMap((list) =>
      list.map((address) => directive('server', word(address), word('max_fails=0'))),
    );
    this.variants.add(variant);
    this.nodes.push(block('upstream', [word(variant)], [...servers, keepalive()]));
    if (this.websocket.has(name)) this.websocket.add(variant);
    if (this.h2c.has(name)) this.h2c.add(variant);
    const tls = this.tls.get(name);
    if (tls !== undefined) this.tls.set(variant, tls);
    const bridged = this.bridged.get(name);
    if (bridged !== undefined) this.bridged.set(variant, bridged);
    return variant;
  }

  /** Registers one IR upstream. */
  add(upstream: UpstreamIR, tag: string, at: string): void {
    const irName = checkId(upstream.name, `${at}.name`);
    if (this.names.has(irName) || this.empty.has(irName)) {
      throw new RenderError(`${at}.name`, `duplicate upstream ${irName}`);
    }
    if (upstream.endpoints.length === 0) {
      this.empty.add(irName);
      return;
    }
    const name = `gw_${tag}__${irName}`;
    this.names.set(irName, name);
    if (upstream.protocol === 'websocket') this.websocket.add(name);
    if (upstream.protocol === 'h2c') this.h2c.add(name);
    const tls =
      upstream.tls === undefined ? undefined : checkUpstreamTls(upstream.tls, `${at}.tls`);
    if (tls !== undefined) (tls.bridged ? this.bridged : this.tls).set(name, tls);
    const addresses = upstream.endpoints.map((e, j) =>
      this.address(e, tls, `${at}.endpoints[${j}]`),
    );
    this.servers.set(name, addresses);
    // max_fails=0: no passive health checks. NGINX's default (one failure disables a server
    // for 10 s) turned one timed-out request into "no live upstreams" 502s for every request
    // after it; the Gateway API asks for the backend's own answer (e.g. 504 on a timeout).
    const servers = addresses.map((a) => directive('server', word(a), word('max_fails=0')));
    this.nodes.push(block('upstream', [word(name)], [...servers, keepalive()]));
  }

  /** A `server` address: the endpoint itself, or its bridge socket when the TLS is bridged. */
  private address(endpoint: EndpointIR, tls: UpstreamTls | undefined, field: string): string {
    if (tls?.bridged !== true) return endpointAddress(endpoint.address, endpoint.port, field);
    const bridge = bridgeOf(tls, endpoint, this.socketDir, field);
    this.bridges.set(bridge.socket, bridge);
    return `unix:${bridge.socket}`;
  }
}

/**
 * `upstream` blocks for a Gateway's IR upstreams; `tag` keeps names unique per NGINX, and
 * bridged TLS upstreams get their sockets in `socketDir`.
 */
export function renderUpstreams(
  upstreams: UpstreamIR[],
  tag: string,
  field: string,
  socketDir: string,
): UpstreamSet {
  const set = new UpstreamSet(socketDir);
  upstreams.forEach((upstream, i) => set.add(upstream, tag, `${field}[${i}]`));
  return set;
}

function keepalive(): ConfNode {
  return directive('keepalive', word(KEEPALIVE_CONNECTIONS));
}

/** A share of traffic after merging: an NGINX upstream name, or null for "answer 500". */
export interface Share {
  target: string | null;
  weight: number;
  /** backendRef-level filters of this share (shares differ when their filters differ). */
  filters?: BackendFiltersIR;
}

/**
 * Merges a rule's backends by target and filters (null and empty upstreams become
 * "invalid") and drops zero weights, keeping first-seen order so output follows the IR.
 */
export function resolveShares(
  backends: WeightedBackendIR[],
  upstreams: UpstreamSet,
  field: string,
): Share[] {
  const merged = new Map<string, Share>();
  backends.forEach((backend, i) => {
    const at = `${field}[${i}]`;
    if (!Number.isInteger(backend.weight) || backend.weight < 0) {
      throw new RenderError(`${at}.weight`, 'weight must be a non-negative integer');
    }
    if (backend.weight === 0) return;
    const target = targetOf(backend.upstream, upstreams, `${at}.upstream`);
    const filters = target === null ? undefined : backend.filters;
    const key = `${target ?? ''}\0${canonicalJson(filters) ?? ''}`;
    const known = merged.get(key);
    if (known !== undefined) known.weight += backend.weight;
    else merged.set(key, { target, weight: backend.weight, ...(filters ? { filters } : {}) });
  });
  return [...merged.values()];
}

function targetOf(upstream: string | null, upstreams: UpstreamSet, field: string): string | null {
  if (upstream === null || upstreams.empty.has(upstream)) return null;
  const name = upstreams.names.get(upstream);
  if (name === undefined) throw new RenderError(field, `unknown upstream ${upstream}`);
  return name;
}

/**
 * Percentages for `split_clients`, in hundredths of a percent (NGINX's resolution), computed
 * from cumulative weights so rounding never adds up past 100%. Shares that round to 0 are
 * dropped (below 0.01%); the last share is written as `*` by the caller.
 */
export function splitBasisPoints(weights: number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  let cumulative = 0;
  let previous = 0;
  return weights.map((w) => {
    cumulative += w;
    const point = Math.round((cumulative * 10000) / total);
    const share = point - previous;
    previous = point;
    return share;
  });
}

/** `50.00%` from basis points. */
export function percent(basisPoints: number): string {
  return `${Math.floor(basisPoints / 100)}.${String(basisPoints % 100).padStart(2, '0')}%`;
}

/** Shares that get traffic: the last one always (it takes `*`), others above 0.01%. */
export function keptShares(shares: Share[]): (Share & { bp: number; last: boolean })[] {
  const points = splitBasisPoints(shares.map((s) => s.weight));
  return shares
    .map((share, i) => ({ ...share, bp: points[i] ?? 0, last: i === shares.length - 1 }))
    .filter((share) => share.last || share.bp > 0);
}

/** `split_clients` on `$request_id` into `variable`, one entry per kept share. */
export function splitBlock(
  shares: { bp: number; last: boolean; value: string }[],
  variable: string,
): ConfNode {
  const entries = shares.map((share) =>
    entry(word(share.last ? '*' : percent(share.bp)), word(share.value)),
  );
  return block('split_clients', [word('$request_id'), word(variable)], entries);
}

/** How a location passes the request on. */
export interface ProxyPlan {
  /** Rewrite-phase lines that must run first (the 500 guard of a split with invalid shares). */
  guard: ConfNode[];
  /** `proxy_pass ...` or `return 500`. */
  pass: ConfNode;
  /** `proxy_ssl_*` lines when the targets speak TLS (backend-tls.ts). */
  tls: ConfNode[];
}

/**
 * The proxying for shares: no valid share → 500; one share → proxy to it (or 500); several →
 * `split_clients` on `$request_id` into a variable shared by equal splits. Only a split with
 * an invalid share needs the `if` that answers 500 for it: an `if` costs NGINX a whole
 * location configuration, measured at about 40% of `nginx -t` time when every location had
 * one. `uri` is appended to the upstream (`$request_uri` where the location's own URI is not
 * the client's).
 */
export function proxyPlan(
  shares: Share[],
  uri: '' | '$request_uri',
  http: HttpScope,
  upstreams: UpstreamSet,
  field: string,
): ProxyPlan {
  const kept = keptShares(shares);
  const only = kept.length === 1 ? kept[0] : undefined;
  if (kept.length === 0 || only?.target === null) {
    return { guard: [], pass: directive('return', word(500)), tls: [] };
  }
  const tls = sharedTls(kept, upstreams, field);
  const scheme = tls === undefined ? 'http' : 'https';
  const ssl = tls === undefined ? [] : proxySslDirectives(tls, field);
  if (only !== undefined && only.target !== null) {
    const pass = directive('proxy_pass', word(`${scheme}://${only.target}${uri}`));
    return { guard: [], pass, tls: ssl };
  }
  const key = kept.map((s) => `${s.target ?? '-'}*${s.bp}`).join(' ');
  const split = http.define('split', key, (variable) =>
    splitBlock(
      kept.map((s) => ({ ...s, value: s.target ?? INVALID_BACKEND })),
      variable,
    ),
  );
  const pass = directive('proxy_pass', word(`${scheme}://${split}${uri}`));
  if (kept.every((share) => share.target !== null)) return { guard: [], pass, tls: ssl };
  const guard = block(
    'if',
    [word(`(${split}`), word('='), word(`${INVALID_BACKEND})`)],
    [directive('return', word(500))],
  );
  return { guard: [guard], pass, tls: ssl };
}

/**
 * The one TLS configuration of a location's targets: none, or the same for all of them. A
 * location has one set of `proxy_ssl_*` directives, so a split across backends with
 * different TLS settings cannot be expressed (backend-tls.ts).
 */
function sharedTls(
  shares: { target: string | null }[],
  upstreams: UpstreamSet,
  field: string,
): UpstreamTls | undefined {
  const targets = shares.flatMap((s) => (s.target === null ? [] : [s.target]));
  const settings = targets.map((t) => upstreams.tls.get(t));
  const [first] = settings;
  if (settings.every((s) => s?.key === first?.key)) return first;
  throw new RenderError(
    field,
    'a weighted split between backends with different BackendTLSPolicy settings is not supported',
  );
}
