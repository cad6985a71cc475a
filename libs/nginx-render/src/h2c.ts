/**
 * Backends whose Service port says `appProtocol: kubernetes.io/h2c`: HTTP/2 cleartext with
 * prior knowledge. `proxy_pass` speaks HTTP/1.x only (every NGINX release), but `grpc_pass
 * grpc://` speaks h2c for any request, gRPC or not (checked on NGINX 1.22 with HTTP/1.1 and
 * HTTP/2 clients, GET and POST with bodies). So a location that proxies to an h2c upstream is
 * the HTTP body converted to its gRPC twins, with the default upstream headers written out
 * (grpc.ts: NGINX has no http-level `grpc_set_header` defaults). Locations that proxy to HTTP/1
 * upstreams, such as a mirror of an h2c rule, stay as they are; a rule mixing h2c and HTTP/1
 * backends gets one location per backend (actions.ts).
 */
import type { HttpRuleIR } from '@portico/ir';
import { ruleBody, type ActionContext } from './actions.ts';
import type { UpstreamSet } from './backends.ts';
import { toGrpc, withDefaultHeaders } from './grpc.ts';
import { ServerScope } from './scope.ts';
import { directive, word, type ConfNode } from './syntax.ts';

/** Whether any valid backend of `rule` speaks h2c. */
export function usesH2c(rule: HttpRuleIR, upstreams: UpstreamSet): boolean {
  return rule.backends.some((b) => {
    const name = b.upstream === null ? undefined : upstreams.names.get(b.upstream);
    return name !== undefined && upstreams.h2c.has(name);
  });
}

/** The body of a location serving a rule with h2c backends. */
export function h2cRuleBody(rule: HttpRuleIR, ctx: ActionContext): ConfNode[] {
  const server = new H2cServerScope(ctx.server, ctx.upstreams);
  return toH2cWhereNeeded(ruleBody(rule, { ...ctx, server }), ctx.upstreams, ctx.internal);
}

/** The upstream name a `proxy_pass http://<name>[$request_uri]` directive targets. */
function passTarget(nodes: readonly ConfNode[]): string | undefined {
  const pass = nodes.find((n) => n.kind === 'directive' && n.name === 'proxy_pass');
  if (pass?.kind !== 'directive') return undefined;
  return /^http:\/\/([a-z0-9_]+)(?:\$request_uri)?$/.exec(pass.args[0] ?? '')?.[1];
}

/**
 * `nodes` converted to `grpc_*` when they proxy to an h2c upstream; in an internal location
 * the client's URI is put back last, as grpc.ts does for gRPC rules.
 */
function toH2cWhereNeeded(
  nodes: ConfNode[],
  upstreams: UpstreamSet,
  internal: boolean,
): ConfNode[] {
  const target = passTarget(nodes);
  if (target === undefined || !upstreams.h2c.has(target)) return nodes;
  const converted = toGrpc(withDefaultHeaders(nodes));
  return internal
    ? [...converted, directive('rewrite', word('^'), word('$request_uri'), word('break'))]
    : converted;
}

/** Internal locations of an h2c rule, each converted when it proxies to an h2c upstream. */
class H2cServerScope extends ServerScope {
  private readonly inner: ServerScope;
  private readonly upstreams: UpstreamSet;

  constructor(inner: ServerScope, upstreams: UpstreamSet) {
    super();
    this.inner = inner;
    this.upstreams = upstreams;
  }

  override internal(uri: string, body: () => ConfNode[]): string {
    return this.inner.internal(uri, () => toH2cWhereNeeded(body(), this.upstreams, true));
  }
}
