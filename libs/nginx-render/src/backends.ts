/**
 * Backends: upstream blocks, weighted splits and the proxy directives of a location. This is
 * the one seam for upstream handling (architecture: static upstreams today; Lua-balanced or
 * `resolve` upstreams later): nothing else knows how a rule reaches its endpoints.
 */
import type { UpstreamIR, WeightedBackendIR } from '@portico/ir';
import { RenderError } from './errors.ts';
import { block, directive, word, type ConfNode } from './syntax.ts';
import { checkId, endpointAddress } from './validate.ts';

/** Idle keepalive connections each worker keeps per upstream. */
const KEEPALIVE_CONNECTIONS = 16;
/** The split_clients value of a share that must answer 500 (no upstream name looks like it). */
const INVALID_BACKEND = 'portico_invalid_backend';

/** Upstreams of one Gateway, named apart from other Gateways' upstreams in the same NGINX. */
export interface UpstreamSet {
  /** IR upstream name → NGINX upstream name; absent for upstreams without endpoints. */
  names: Map<string, string>;
  /** IR upstream names that exist but have no endpoints (their shares answer 500). */
  empty: Set<string>;
  nodes: ConfNode[];
}

/** `upstream` blocks for a Gateway's IR upstreams; `tag` keeps names unique per NGINX. */
export function renderUpstreams(upstreams: UpstreamIR[], tag: string, field: string): UpstreamSet {
  const set: UpstreamSet = { names: new Map(), empty: new Set(), nodes: [] };
  upstreams.forEach((upstream, i) => {
    const at = `${field}[${i}]`;
    const irName = checkId(upstream.name, `${at}.name`);
    if (set.names.has(irName) || set.empty.has(irName)) {
      throw new RenderError(`${at}.name`, `duplicate upstream ${irName}`);
    }
    if (upstream.endpoints.length === 0) {
      set.empty.add(irName);
      return;
    }
    const name = `gw_${tag}__${irName}`;
    set.names.set(irName, name);
    const servers = upstream.endpoints.map((e, j) =>
      directive('server', word(endpointAddress(e.address, e.port, `${at}.endpoints[${j}]`))),
    );
    set.nodes.push(block('upstream', [word(name)], [...servers, keepalive()]));
  });
  return set;
}

function keepalive(): ConfNode {
  return directive('keepalive', word(KEEPALIVE_CONNECTIONS));
}

/** A share of traffic after merging: an NGINX upstream name, or null for "answer 500". */
interface Share {
  target: string | null;
  weight: number;
}

/**
 * Merges a rule's backends by target (null and empty upstreams become "invalid") and drops
 * zero weights, keeping first-seen order so output follows the IR.
 */
export function resolveShares(
  backends: WeightedBackendIR[],
  upstreams: UpstreamSet,
  field: string,
): Share[] {
  const byTarget = new Map<string | null, number>();
  backends.forEach((backend, i) => {
    const at = `${field}[${i}]`;
    if (!Number.isInteger(backend.weight) || backend.weight < 0) {
      throw new RenderError(`${at}.weight`, 'weight must be a non-negative integer');
    }
    if (backend.weight === 0) return;
    const target = targetOf(backend.upstream, upstreams, `${at}.upstream`);
    byTarget.set(target, (byTarget.get(target) ?? 0) + backend.weight);
  });
  return [...byTarget].map(([target, weight]) => ({ target, weight }));
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

function percent(basisPoints: number): string {
  return `${Math.floor(basisPoints / 100)}.${String(basisPoints % 100).padStart(2, '0')}%`;
}

/** What a location does for one rule, plus the http-level `split_clients` it needs, if any. */
export interface RuleAction {
  split?: ConfNode;
  /** The split's variable, for sizing NGINX's variables hash. */
  variable?: string;
  body: ConfNode[];
}

/** Identity of a share set: rules with equal shares can share one action and one split. */
export function sharesKey(shares: Share[]): string {
  return shares.map((s) => `${s.target ?? '-'}*${s.weight}`).join(' ');
}

/**
 * The action for a rule's shares: no valid share → 500; one share → proxy to it (or 500);
 * several → `split_clients` on `$request_id` into `$<variable>`. Only a split with an invalid
 * share needs the `if` that answers 500 for it: an `if` costs NGINX a whole location
 * configuration, measured at about 40% of `nginx -t` time when every location had one.
 */
export function ruleAction(shares: Share[], variable: string): RuleAction {
  const points = splitBasisPoints(shares.map((s) => s.weight));
  const kept = shares
    .map((share, i) => ({ ...share, bp: points[i] ?? 0, last: i === shares.length - 1 }))
    .filter((share) => share.last || share.bp > 0);
  const only = kept.length === 1 ? kept[0] : undefined;
  if (kept.length === 0 || only?.target === null) return { body: [directive('return', word(500))] };
  if (only !== undefined) return { body: [directive('proxy_pass', word(`http://${only.target}`))] };
  const entries = kept.map((share) =>
    directive(share.last ? '*' : percent(share.bp), word(share.target ?? INVALID_BACKEND)),
  );
  const split = block('split_clients', [word('$request_id'), word(`$${variable}`)], entries);
  const proxy = directive('proxy_pass', word(`http://$${variable}`));
  if (kept.every((share) => share.target !== null)) return { split, variable, body: [proxy] };
  const guard = block(
    'if',
    [word(`($${variable}`), word('='), word(`${INVALID_BACKEND})`)],
    [directive('return', word(500))],
  );
  return { split, variable, body: [guard, proxy] };
}
