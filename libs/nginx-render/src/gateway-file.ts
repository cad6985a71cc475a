/**
 * The file of one Gateway (`http/<namespace>_<name>.conf`): its upstreams, the
 * `split_clients` of its weighted rules, and one `server` block per planned virtual host.
 */
import { createHash } from 'node:crypto';
import type { GatewayIR, GatewayRef, HttpRuleIR } from '@portico/ir';
import { needsSavedPath, ruleBody, type ActionContext } from './actions.ts';
import { renderUpstreams, type UpstreamSet } from './backends.ts';
import { grpcRuleBody, isGrpcRule } from './grpc.ts';
import { h2cRuleBody, usesH2c } from './h2c.ts';
import { h2cListen } from './stream-h2c.ts';
import { dispatchBody, dispatchVariable, NOT_FOUND_TARGET, ruleConditions } from './dispatch.ts';
import { isConditional, location, NOT_FOUND, planLocations, sourceComment } from './locations.ts';
import type { PlannedServer } from './plan.ts';
import { CATCH_ALL } from './plan.ts';
import { HttpScope, INTERNAL_PREFIX, ServerScope } from './scope.ts';
import { tlsListen, tlsServerDirectives, type CertificateFile } from './tls.ts';
import { upstreamTlsFiles } from './backend-tls.ts';
import type { BackendTlsBridge } from './backend-tls-bridge.ts';
import { blank, block, comment, directive, serialize, str, word, type ConfNode } from './syntax.ts';
import { checkId } from './validate.ts';

/**
 * A short tag that tells one Gateway's NGINX names (upstreams, variables) apart from another
 * Gateway's in the same NGINX; derived from the Gateway's identity so adding a Gateway never
 * renames anything in another Gateway's file.
 */
export function gatewayTag(ref: GatewayRef): string {
  return createHash('sha256').update(`${ref.namespace}/${ref.name}`).digest('hex').slice(0, 8);
}

/** Path of a Gateway's file; namespace and name were checked to be RFC 1123 names. */
export function gatewayFilePath(ref: GatewayRef): string {
  return `http/${ref.namespace}_${ref.name}.conf`;
}

/** What the file declared beyond its text, for sizing NGINX's hash tables. */
export interface GatewayFile {
  contents: string;
  variables: string[];
  /** CA bundles and client certificates of TLS upstreams (backend-tls.ts), bridged or not. */
  certificates: CertificateFile[];
  /** Sockets of the backend TLS bridge (backend-tls-bridge.ts), by path. */
  bridges: Map<string, BackendTlsBridge>;
}

/** Renders one Gateway's file from its IR and its planned servers. */
export function renderGatewayFile(
  ir: GatewayIR,
  servers: PlannedServer[],
  field: string,
  socketDir: string,
): GatewayFile {
  const tag = gatewayTag(ir.gateway);
  const upstreams = renderUpstreams(ir.upstreams, tag, `${field}.upstreams`, socketDir);
  const http = new HttpScope(tag);
  // Servers first: they add upstream variants and http-level maps as they need them.
  const serverNodes = servers.flatMap((server) => [blank, renderServer(server, http, upstreams)]);
  const { namespace, name } = ir.gateway;
  const nodes: ConfNode[] = [
    comment(`Gateway ${namespace}/${name} (tag ${tag}), rendered by Portico: do not edit.`),
    ...spaced(upstreams.nodes),
    ...spaced(http.nodes),
    ...serverNodes,
  ];
  const certificates = [...upstreams.tls.values(), ...upstreams.bridged.values()].flatMap(
    upstreamTlsFiles,
  );
  const { variables } = http;
  return { contents: serialize(nodes), variables, certificates, bridges: upstreams.bridges };
}

function spaced(nodes: ConfNode[]): ConfNode[] {
  return nodes.length === 0 ? [] : [blank, ...nodes];
}

function renderServer(server: PlannedServer, http: HttpScope, upstreams: UpstreamSet): ConfNode {
  const listen =
    server.tls !== undefined
      ? tlsListen(server.port, server.defaultServer, server.socket)
      : server.h2cFront !== undefined
        ? h2cListen(server.h2cFront, server.defaultServer)
        : [
            directive(
              'listen',
              word(server.port),
              ...(server.http2 === true ? [word('http2')] : []),
              ...(server.defaultServer ? [word('default_server')] : []),
            ),
          ];
  const tls = server.tls === undefined ? [] : tlsServerDirectives(server.tls, server.field);
  const host = server.vhost.hostname;
  const name =
    host === CATCH_ALL
      ? comment('catch-all: routes of listeners without a hostname')
      : directive('server_name', str(host, `${server.field}.hostname`));
  const scope = new ServerScope();
  const locations = renderLocations(server.vhost.rules, `${server.field}.rules`, {
    http,
    server: scope,
    upstreams,
  });
  return block('server', [], [...listen, name, ...tls, ...locations, ...scope.internals]);
}

type Scopes = Omit<ActionContext, 'internal' | 'field'>;

/**
 * gRPC rules proxy with `grpc_pass` (grpc.ts), rules with h2c backends too where they reach
 * them (h2c.ts); every other rule with `proxy_pass`.
 */
function bodyOf(rule: HttpRuleIR, upstreams: UpstreamSet): typeof ruleBody {
  if (isGrpcRule(rule)) return grpcRuleBody;
  return usesH2c(rule, upstreams) ? h2cRuleBody : ruleBody;
}

/** The locations of one virtual host (see locations.ts and dispatch.ts). */
function renderLocations(rules: HttpRuleIR[], field: string, scopes: Scopes): ConfNode[] {
  rules.forEach((rule, i) => checkId(rule.id, `${field}[${i}].id`));
  const nodes: ConfNode[] = [];
  const served = new Set<number>();
  for (const planned of planLocations(rules, field)) {
    const [first] = planned.candidates;
    const firstRule = first === undefined ? undefined : rules[first];
    if (first === undefined || firstRule === undefined) {
      nodes.push(location(planned.key, NOT_FOUND, field));
      continue;
    }
    for (const i of planned.candidates) served.add(i);
    const at = `${field}[${first}]`;
    if (!isConditional(firstRule)) {
      nodes.push(sourceComment(firstRule, at));
      const body = bodyOf(firstRule, scopes.upstreams)(firstRule, {
        ...scopes,
        internal: false,
        field: at,
      });
      nodes.push(location(planned.key, body, at));
      continue;
    }
    nodes.push(comment('dispatch, in precedence order:'));
    const candidates = planned.candidates.map((i) => {
      const rule = rules[i] as HttpRuleIR;
      const ruleField = `${field}[${i}]`;
      nodes.push(sourceComment(rule, ruleField));
      return {
        conditions: ruleConditions(rule, scopes.http, ruleField),
        target: scopes.server.internal(`${INTERNAL_PREFIX}${rule.id}`, () =>
          bodyOf(rule, scopes.upstreams)(rule, { ...scopes, internal: true, field: ruleField }),
        ),
      };
    });
    if (!candidates.some((c) => c.conditions.length === 0)) {
      scopes.server.internal(NOT_FOUND_TARGET, () => NOT_FOUND);
    }
    const variable = dispatchVariable(candidates, scopes.http);
    const save = planned.candidates.some((i) => needsSavedPath(rules[i] as HttpRuleIR));
    nodes.push(location(planned.key, dispatchBody(variable, save), field));
  }
  rules.forEach((rule, i) => {
    if (served.has(i)) return;
    nodes.push(sourceComment(rule, `${field}[${i}]`));
    nodes.push(comment('shadowed: an earlier rule matches everything this one does'));
  });
  return nodes;
}
