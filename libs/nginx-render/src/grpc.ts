/**
 * gRPC rules (`source.kind: GRPCRoute`): the same location bodies as HTTP rules (dispatch,
 * weights, header modifiers, mirrors, 500 for invalid backends), with NGINX's gRPC proxy in
 * place of its HTTP one: `grpc_pass grpc://<upstream>` speaks HTTP/2 (h2c) to the backend, as
 * gRPC needs, and `grpc_set_header`, `grpc_hide_header`, `grpc_*_timeout` and
 * `grpc_next_upstream*` replace their `proxy_` twins. The request line goes upstream as the
 * client sent it (`grpc_pass` takes no URI), which is what a `/<service>/<method>` call needs.
 * Calls for invalid backends get HTTP 503, which gRPC clients read as UNAVAILABLE.
 *
 * The port must speak HTTP/2 to clients (`HttpServerIR.http2`): `listen ... ssl http2` on
 * HTTPS (ALPN), `listen ... http2` on cleartext (h2c with prior knowledge; see
 * docs/architecture.md for what that costs HTTP/1.1 clients on NGINX before 1.25.1).
 */
import type { HttpRuleIR } from '@portico/ir';
import { ruleBody, type ActionContext } from './actions.ts';
import { DEFAULT_PROXY_HEADERS, expression } from './headers.ts';
import { INTERNAL_PREFIX, ServerScope } from './scope.ts';
import { directive, word, type ConfNode } from './syntax.ts';

/** `proxy_` directives that have a `grpc_` twin with the same arguments. */
const TWINS = new Set([
  'proxy_set_header',
  'proxy_hide_header',
  'proxy_connect_timeout',
  'proxy_read_timeout',
  'proxy_send_timeout',
  'proxy_next_upstream',
  'proxy_next_upstream_tries',
  'proxy_next_upstream_timeout',
]);

/** Whether a rule comes from a GRPCRoute (and so is proxied with `grpc_pass`). */
export function isGrpcRule(rule: HttpRuleIR): boolean {
  return rule.source.kind === 'GRPCRoute';
}

/** The body of a location serving a gRPC rule; its internal locations are converted too. */
export function grpcRuleBody(rule: HttpRuleIR, ctx: ActionContext): ConfNode[] {
  const body = unavailable(
    toGrpc(withDefaultHeaders(ruleBody(rule, { ...ctx, server: new GrpcServerScope(ctx.server) }))),
  );
  return ctx.internal ? withClientUri(body) : body;
}

/**
 * `grpc_pass` sends the location's current URI, which in an internal location (reached by
 * dispatch, a split or a mirror) is the internal name: the client's `/<service>/<method>` is
 * put back last in the rewrite phase (after any guard), so the backend sees the call it got.
 */
function withClientUri(body: ConfNode[]): ConfNode[] {
  const passes = body.some((n) => n.kind === 'directive' && n.name === 'grpc_pass');
  return passes
    ? [...body, directive('rewrite', word('^'), word('$request_uri'), word('break'))]
    : body;
}

/**
 * NGINX has no `grpc_set_header` at the http level (only the `proxy_` defaults are written
 * there), so a gRPC location without header lines of its own would send the upstream's name
 * as `:authority` instead of the client's. A body that proxies and sets no header gets the
 * default upstream headers written out, `Host` (the client's authority) first among them; a
 * body with header lines already carries them (headers.ts starts from the defaults).
 */
export function withDefaultHeaders(body: ConfNode[]): ConfNode[] {
  const has = (name: string): boolean =>
    body.some((n) => n.kind === 'directive' && n.name === name);
  if (!has('proxy_pass') || has('proxy_set_header')) return body;
  const headers = DEFAULT_PROXY_HEADERS.map(([name, value]) =>
    directive('proxy_set_header', word(name), expression(value, 'default headers')),
  );
  return [...headers, ...body];
}

/**
 * The rule's internal locations (per-backend splits, mirrors) go into the real server scope,
 * converted on the way.
 */
class GrpcServerScope extends ServerScope {
  private readonly inner: ServerScope;

  constructor(inner: ServerScope) {
    super();
    this.inner = inner;
  }

  override internal(uri: string, body: () => ConfNode[]): string {
    // The HTTP rules' shared 500 location keeps its URI and answer; gRPC rules get their own.
    const own = uri === INVALID_HTTP ? INVALID_GRPC : uri;
    return this.inner.internal(own, () =>
      unavailable(withClientUri(toGrpc(withDefaultHeaders(body())))),
    );
  }
}

const INVALID_HTTP = `${INTERNAL_PREFIX}500`;
const INVALID_GRPC = `${INTERNAL_PREFIX}503`;

/**
 * GRPCRoute `rules[].backendRefs`: calls that would go to an invalid backend MUST get
 * UNAVAILABLE. The HTTP bodies answer 500, which gRPC clients read as UNKNOWN (gRPC's HTTP to
 * status code mapping); 503 they read as UNAVAILABLE. Only gRPC rules are converted: h2c
 * backends of HTTPRoutes (h2c.ts) share `toGrpc` and keep HTTP's 500.
 */
function unavailable(nodes: readonly ConfNode[]): ConfNode[] {
  return nodes.map((node): ConfNode => {
    if (node.kind !== 'directive') return node;
    if (node.children !== undefined) return { ...node, children: unavailable(node.children) };
    const answers500 = node.name === 'return' && node.args.length === 1 && node.args[0] === '500';
    return answers500 ? directive('return', word(503)) : node;
  });
}

/** Converts HTTP proxy directives to their gRPC twins, inside blocks too. */
export function toGrpc(nodes: readonly ConfNode[]): ConfNode[] {
  return nodes.map((node): ConfNode => {
    if (node.kind !== 'directive') return node;
    if (node.children !== undefined) return { ...node, children: toGrpc(node.children) };
    if (node.name === 'proxy_pass') return grpcPass(node.args[0] ?? '');
    if (TWINS.has(node.name)) return { ...node, name: `grpc_${node.name.slice('proxy_'.length)}` };
    return node;
  });
}

/** `proxy_pass http://<target>[$request_uri]` → `grpc_pass grpc://<target>`. */
function grpcPass(target: string): ConfNode {
  const match = /^http:\/\/([^$]*|\$[a-z0-9_]+?)(\$request_uri)?$/.exec(target);
  if (match === null || match[1] === undefined || match[1] === '') {
    throw new Error(`internal: cannot convert proxy_pass ${target} to grpc_pass`);
  }
  return directive('grpc_pass', word(`grpc://${match[1]}`));
}
