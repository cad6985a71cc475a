/**
 * What a location does for one rule: filters, then proxying. Directive order matters only in
 * NGINX's rewrite phase (`if`, `return`, `rewrite`, `set` run in order, and `rewrite ...
 * break` stops the ones after it), so a body is laid out as: CORS preflight answer, redirect
 * or 500 guard, path rewrite, then the order-free directives (headers, mirrors, timeouts,
 * retries) and `proxy_pass`.
 *
 * A location is either the one NGINX picked for the client's URI (`$uri` is the client's,
 * `proxy_pass` without a URI part forwards the request line unchanged) or an internal one
 * reached by dispatch (`$uri` is the internal name: the client's URI is `$request_uri`, its
 * decoded path was saved in `$portico_path` when a rule needs it).
 */
import type { HeaderModifierIR, HttpRuleIR, PathModifierIR, RedirectIR } from '@portico/ir';
import {
  keptShares,
  proxyPlan,
  resolveShares,
  splitBlock,
  type Share,
  type UpstreamSet,
} from './backends.ts';
import { corsPlan } from './cors.ts';
import { PATH_VARIABLE } from './dispatch.ts';
import { RenderError } from './errors.ts';
import { proxySslDirectives } from './backend-tls.ts';
import { expression, requestHeaders, responseHeaders, variableOf, type Part } from './headers.ts';
import { escapeRegex } from './regex.ts';
import { INTERNAL_PREFIX, type HttpScope, type ServerScope } from './scope.ts';
import { block, directive, entry, str, word, type ConfNode, type Token } from './syntax.ts';
import { checkHostname, checkPath, checkPort } from './validate.ts';

export interface ActionContext {
  http: HttpScope;
  server: ServerScope;
  upstreams: UpstreamSet;
  /** Whether the location is internal (reached by dispatch or a per-backend split). */
  internal: boolean;
  /** The rule's path in the input, for error messages. */
  field: string;
}

/** `timeouts: 0s` means no timeout; NGINX needs a number: a day. */
const NO_TIMEOUT = '1d';
const RETRY_CODES = new Set([403, 404, 429, 500, 502, 503, 504]);

/** Whether the rule's filters need the client's decoded path after a jump (prefix rewrites). */
export function needsSavedPath(rule: HttpRuleIR): boolean {
  const f = rule.filters;
  return (
    f?.rewrite?.path?.type === 'ReplacePrefixMatch' ||
    f?.redirect?.path?.type === 'ReplacePrefixMatch'
  );
}

/** The body of a location that serves `rule`. */
export function ruleBody(rule: HttpRuleIR, ctx: ActionContext): ConfNode[] {
  const f = rule.filters ?? {};
  const cors =
    f.cors === undefined ? undefined : corsPlan(f.cors, ctx.http, `${ctx.field}.filters.cors`);
  const preflight = cors?.preflight ?? [];
  const corsHeaders = cors?.headers ?? [];
  const responseMods = f.responseHeaders === undefined ? [] : [f.responseHeaders];
  if (f.redirect !== undefined) {
    return [
      ...preflight,
      ...responseHeaders(responseMods, ctx.field),
      ...corsHeaders,
      redirectReturn(rule, f.redirect, ctx),
    ];
  }
  let shares = resolveShares(rule.backends, ctx.upstreams, `${ctx.field}.backends`);
  const retry = rule.retry;
  if (retry !== undefined && retry.attempts > 0) {
    shares = shares.map((s) =>
      s.target === null
        ? s
        : { ...s, target: ctx.upstreams.retryVariant(s.target, retry.attempts + 1) },
    );
  }
  const kept = keptShares(shares);
  if (kept.length > 1 && (kept.some((s) => s.filters !== undefined) || mixesH2c(kept, ctx))) {
    return [...preflight, ...backendSplit(rule, kept, ctx), ...corsHeaders];
  }
  return [...preflight, ...finalBody(rule, shares, ctx, responseMods, corsHeaders)];
}

/** Whether valid shares speak h2c and HTTP/1 both (one location cannot proxy with both). */
function mixesH2c(kept: Share[], ctx: ActionContext): boolean {
  const h2c = kept.flatMap((s) => (s.target === null ? [] : [ctx.upstreams.h2c.has(s.target)]));
  return h2c.includes(true) && h2c.includes(false);
}

/**
 * Backends with their own filters, or of different protocols, need their own locations: a split picks one of them by
 * weight and `rewrite ... last` jumps there.
 */
function backendSplit(
  rule: HttpRuleIR,
  kept: ReturnType<typeof keptShares>,
  ctx: ActionContext,
): ConfNode[] {
  const inner: ActionContext = { ...ctx, internal: true };
  const f = rule.filters ?? {};
  const responseMods = f.responseHeaders === undefined ? [] : [f.responseHeaders];
  const cors =
    f.cors === undefined ? [] : corsPlan(f.cors, ctx.http, `${ctx.field}.filters.cors`).headers;
  const targets = kept.map((share, i) =>
    share.target === null
      ? ctx.server.internal(`${INTERNAL_PREFIX}500`, () => [directive('return', word(500))])
      : ctx.server.internal(`${INTERNAL_PREFIX}${rule.id}/b${i}`, () =>
          finalBody(rule, [share], inner, responseMods, cors),
        ),
  );
  const key = kept.map((s, i) => `${targets[i]}*${s.bp}`).join(' ');
  const variable = ctx.http.define('backend', key, (v) =>
    splitBlock(
      kept.map((s, i) => ({ ...s, value: targets[i] ?? '' })),
      v,
    ),
  );
  const save = !ctx.internal && needsSavedPath(rule);
  return [
    ...(save ? [directive('set', word(`$${PATH_VARIABLE}`), word('$uri'))] : []),
    directive('rewrite', word('^'), variable, word('last')),
  ];
}

/** The location that proxies: shares of one rule (with at most one share's own filters). */
function finalBody(
  rule: HttpRuleIR,
  shares: Share[],
  ctx: ActionContext,
  responseMods: HeaderModifierIR[],
  corsHeaders: ConfNode[],
): ConfNode[] {
  const f = rule.filters ?? {};
  const field = ctx.field;
  const path = f.rewrite?.path;
  const plan = proxyPlan(
    shares,
    path !== undefined || !ctx.internal ? '' : '$request_uri',
    ctx.http,
    ctx.upstreams,
    field,
  );
  const own = keptShares(shares).length === 1 ? keptShares(shares)[0]?.filters : undefined;
  const requestMods = [f.requestHeaders, own?.requestHeaders].filter((m) => m !== undefined);
  const websocket = shares.some((s) => s.target !== null && ctx.upstreams.websocket.has(s.target));
  const isReturn = plan.pass.kind === 'directive' && plan.pass.name === 'return';
  return [
    ...plan.guard,
    ...(isReturn ? [plan.pass] : []),
    ...(path === undefined ? [] : [rewritePath(rule, path, ctx)]),
    ...requestHeaders(
      { modifiers: requestMods, hostname: f.rewrite?.hostname, websocket },
      ctx.http,
      field,
    ),
    ...responseHeaders(
      [...responseMods, ...(own?.responseHeaders ? [own.responseHeaders] : [])],
      field,
    ),
    ...corsHeaders,
    ...mirrors(rule, ctx),
    ...timeouts(rule),
    ...retries(rule, field),
    ...(isReturn ? [] : [...plan.tls, plan.pass]),
  ];
}

/** `rewrite ^ <new path> break;`: the upstream gets the new path (with the query kept). */
function rewritePath(rule: HttpRuleIR, path: PathModifierIR, ctx: ActionContext): ConfNode {
  const at = `${ctx.field}.filters.rewrite.path`;
  const target =
    path.type === 'ReplaceFullPath'
      ? expression([{ text: decoded(path.value, at) }], at)
      : prefixReplacement(rule, path.value, ctx, true, at);
  return directive('rewrite', word('^'), target, word('break'));
}

/** A decoded replacement path (a `?` or `#` would start the query or a fragment). */
function decoded(value: string, field: string): string {
  const path = checkPath(value, field);
  if (/[?#]/.test(path))
    throw new RenderError(field, 'a replacement path must not decode to ? or #');
  return path;
}

/**
 * A map from the client's path to the path with the rule's prefix replaced: `/prefix/rest`
 * becomes `<replacement without trailing />/rest`, `/prefix` itself the replacement.
 */
function prefixReplacement(
  rule: HttpRuleIR,
  replacement: string,
  ctx: ActionContext,
  decode: boolean,
  field: string,
): Token {
  if (rule.match.path.type !== 'PathPrefix') {
    throw new RenderError(field, 'ReplacePrefixMatch needs a PathPrefix match');
  }
  const prefix = checkPath(rule.match.path.value, `${ctx.field}.match.path.value`).replace(
    /\/+$/,
    '',
  );
  const value = decode ? decoded(replacement, field) : checkPath(replacement, field) && replacement;
  const base = value.replace(/\/+$/, '');
  const source = word(ctx.internal ? `$${PATH_VARIABLE}` : '$uri');
  return ctx.http.map('path', source, [
    entry(
      str(`~^${escapeRegex(prefix)}(/.*)$`, field),
      expression([{ text: base }, { capture: 1 }], field),
    ),
    entry(word('default'), expression([{ text: value }], field)),
  ]);
}

/** `return <code> <scheme>://<host>[:port]<path>`, query kept. */
function redirectReturn(rule: HttpRuleIR, redirect: RedirectIR, ctx: ActionContext): ConfNode {
  const at = `${ctx.field}.filters.redirect`;
  if (![301, 302, 303, 307, 308].includes(redirect.statusCode)) {
    throw new RenderError(`${at}.statusCode`, 'not a redirect status');
  }
  if (redirect.scheme !== 'http' && redirect.scheme !== 'https') {
    throw new RenderError(`${at}.scheme`, 'must be http or https');
  }
  const host: Part =
    redirect.hostname === null
      ? { variable: 'host' }
      : { text: checkHostname(redirect.hostname, `${at}.hostname`) };
  const port: Part[] =
    redirect.port === null ? [] : [{ text: `:${checkPort(redirect.port, `${at}.port`)}` }];
  const query: Part[] = [{ variable: 'is_args' }, { variable: 'args' }];
  let path: Part[] = [{ variable: 'request_uri' }];
  if (redirect.path?.type === 'ReplaceFullPath') {
    checkPath(redirect.path.value, `${at}.path`);
    path = [{ text: redirect.path.value }, ...query];
  } else if (redirect.path?.type === 'ReplacePrefixMatch') {
    const mapped = prefixReplacement(rule, redirect.path.value, ctx, false, `${at}.path`);
    path = [{ variable: variableOf(mapped) }, ...query];
  }
  const location = expression([{ text: `${redirect.scheme}://` }, host, ...port, ...path], at);
  return directive('return', word(redirect.statusCode), location);
}

/** `mirror` subrequests, each to an internal location that sends a share of requests on. */
function mirrors(rule: HttpRuleIR, ctx: ActionContext): ConfNode[] {
  return (rule.filters?.mirrors ?? []).map((m, i) => {
    const at = `${ctx.field}.filters.mirrors[${i}]`;
    const upstream = ctx.upstreams.names.get(m.upstream);
    if (upstream === undefined) {
      if (ctx.upstreams.empty.has(m.upstream)) return directive('mirror', word('off'));
      throw new RenderError(`${at}.upstream`, `unknown upstream ${m.upstream}`);
    }
    if (!Number.isInteger(m.basisPoints) || m.basisPoints < 1 || m.basisPoints > 10000) {
      throw new RenderError(`${at}.basisPoints`, 'must be 1-10000');
    }
    const uri = `${INTERNAL_PREFIX}mirror/${upstream}/${m.basisPoints}`;
    const tls = ctx.upstreams.tls.get(upstream);
    const scheme = tls === undefined ? 'http' : 'https';
    ctx.server.internal(uri, () => [
      ...mirrorSample(upstream, m.basisPoints, ctx.http),
      ...(tls === undefined ? [] : proxySslDirectives(tls, `${at}.upstream`)),
      directive('proxy_pass', word(`${scheme}://${upstream}$request_uri`)),
    ]);
    return directive('mirror', word(uri));
  });
}

/** For a partial mirror, a split on the request id that lets that share through. */
function mirrorSample(upstream: string, basisPoints: number, http: HttpScope): ConfNode[] {
  if (basisPoints === 10000) return [];
  const sampled = http.define('mirror', `${upstream}*${basisPoints}`, (v) =>
    block(
      'split_clients',
      [str(`\${request_id}${upstream}`, 'mirror'), word(v)],
      [
        entry(
          word(`${Math.floor(basisPoints / 100)}.${String(basisPoints % 100).padStart(2, '0')}%`),
          word(1),
        ),
        entry(word('*'), word(0)),
      ],
    ),
  );
  return [
    block('if', [word(`(${sampled}`), word('='), word('0)')], [directive('return', word(204))]),
  ];
}

function duration(ms: number): Token {
  if (!Number.isInteger(ms) || ms < 0) throw new Error('internal: timeouts are checked by the IR');
  return word(ms === 0 ? NO_TIMEOUT : `${ms}ms`);
}

/**
 * `backendRequest` bounds each attempt (connect, send, read); `request` bounds the attempts
 * together (`proxy_next_upstream_timeout`) and each attempt when no `backendRequest` is set.
 * NGINX measures reads between packets, not a whole response: a backend that trickles bytes
 * can take longer than `request` in total.
 */
function timeouts(rule: HttpRuleIR): ConfNode[] {
  const t = rule.timeouts;
  if (t === undefined) return [];
  const out: ConfNode[] = [];
  const attempt = t.backendRequestMs ?? t.requestMs;
  if (attempt !== undefined) {
    for (const name of ['proxy_connect_timeout', 'proxy_send_timeout', 'proxy_read_timeout']) {
      out.push(directive(name, duration(attempt)));
    }
  }
  if (t.requestMs !== undefined) {
    out.push(
      directive('proxy_next_upstream_timeout', word(t.requestMs === 0 ? 0 : `${t.requestMs}ms`)),
    );
  }
  return out;
}

/** Retries: on connection errors, timeouts and the rule's codes; `attempts` after the first. */
function retries(rule: HttpRuleIR, field: string): ConfNode[] {
  const r = rule.retry;
  if (r === undefined) return [];
  if (r.attempts === 0) return [directive('proxy_next_upstream', word('off'))];
  const codes = r.codes.map((c) => {
    if (!RETRY_CODES.has(c))
      throw new RenderError(`${field}.retry.codes`, `NGINX cannot retry on ${c}`);
    return word(`http_${c}`);
  });
  return [
    directive('proxy_next_upstream', word('error'), word('timeout'), ...codes),
    directive('proxy_next_upstream_tries', word(r.attempts + 1)),
  ];
}
