/**
 * The file of one Gateway (`http/<namespace>_<name>.conf`): its upstreams, the
 * `split_clients` of its weighted rules, and one `server` block per planned virtual host.
 */
import { createHash } from 'node:crypto';
import type { GatewayIR, GatewayRef, HttpRuleIR } from '@portico/ir';
import {
  renderUpstreams,
  resolveShares,
  ruleAction,
  sharesKey,
  type UpstreamSet,
} from './backends.ts';
import { renderLocations } from './locations.ts';
import type { PlannedServer } from './plan.ts';
import { CATCH_ALL } from './plan.ts';
import { blank, block, comment, directive, serialize, str, word, type ConfNode } from './syntax.ts';
import { tlsListen, tlsServerDirectives } from './tls.ts';
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
}

/** Renders one Gateway's file from its IR and its planned servers. */
export function renderGatewayFile(
  ir: GatewayIR,
  servers: PlannedServer[],
  field: string,
): GatewayFile {
  const tag = gatewayTag(ir.gateway);
  const upstreams = renderUpstreams(ir.upstreams, tag, `${field}.upstreams`);
  const splits = new SplitRegistry(tag, upstreams);
  const serverNodes = servers.flatMap((server) => [blank, renderServer(server, splits)]);
  const { namespace, name } = ir.gateway;
  const nodes: ConfNode[] = [
    comment(`Gateway ${namespace}/${name} (tag ${tag}), rendered by Portico: do not edit.`),
    ...spaced(upstreams.nodes),
    ...spaced(splits.nodes),
    ...serverNodes,
  ];
  return { contents: serialize(nodes), variables: splits.variables };
}

function spaced(nodes: ConfNode[]): ConfNode[] {
  return nodes.length === 0 ? [] : [blank, ...nodes];
}

function renderServer(server: PlannedServer, splits: SplitRegistry): ConfNode {
  const listen =
    server.tls !== undefined
      ? tlsListen(server.port, server.defaultServer)
      : server.defaultServer
        ? directive('listen', word(server.port), word('default_server'))
        : directive('listen', word(server.port));
  const tls = server.tls === undefined ? [] : tlsServerDirectives(server.tls, server.field);
  const host = server.vhost.hostname;
  const name =
    host === CATCH_ALL
      ? comment('catch-all: routes of listeners without a hostname')
      : directive('server_name', str(host, `${server.field}.hostname`));
  const rulesField = `${server.field}.rules`;
  const locations = renderLocations(server.vhost.rules, rulesField, (rule, i) =>
    splits.actionFor(rule, `${rulesField}[${i}]`),
  );
  return block('server', [], [listen, name, ...tls, ...locations]);
}

/**
 * Actions of the Gateway's rules, shared by share set: rules (and virtual hosts) that send
 * traffic the same way share one `split_clients` variable, named by a hash of the shares, so
 * NGINX holds as many split variables as there are distinct splits, not one per rule.
 */
class SplitRegistry {
  readonly nodes: ConfNode[] = [];
  readonly variables: string[] = [];
  private readonly actions = new Map<string, ConfNode[]>();
  private readonly tag: string;
  private readonly upstreams: UpstreamSet;

  constructor(tag: string, upstreams: UpstreamSet) {
    this.tag = tag;
    this.upstreams = upstreams;
  }

  actionFor(rule: HttpRuleIR, field: string): ConfNode[] {
    checkId(rule.id, `${field}.id`);
    const shares = resolveShares(rule.backends, this.upstreams, `${field}.backends`);
    const key = sharesKey(shares);
    const known = this.actions.get(key);
    if (known !== undefined) return known;
    const hash = createHash('sha256').update(key).digest('hex').slice(0, 12);
    const action = ruleAction(shares, `portico_split_${this.tag}_${hash}`);
    if (action.split !== undefined && action.variable !== undefined) {
      this.nodes.push(action.split);
      this.variables.push(action.variable);
    }
    this.actions.set(key, action.body);
    return action.body;
  }
}
