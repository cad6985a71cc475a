/**
 * Gateway API path matching laid out as NGINX locations, so that NGINX picks the same winner
 * as the spec's precedence (exact over prefix, longest prefix first, then IR order):
 *
 * - `Exact /p` → `location = "/p"`: NGINX checks exact locations first, like the spec.
 * - `PathPrefix /p` → `location = "/p"` and `location ^~ "/p/"`: matches `/p` and `/p/...`
 *   but not `/pfoo` (path elements, trailing `/` ignored). Among prefix locations NGINX takes
 *   the longest, which is the spec's longest prefix. `^~` keeps that true if regex locations
 *   are added later. `PathPrefix /` → `location ^~ "/"`.
 * - Two rules that yield the same location (e.g. `Exact /p` and `PathPrefix /p` both want
 *   `= /p`) cannot both exist in NGINX: the first in IR order, which is the spec's order,
 *   takes it. A rule left with no location is shadowed entirely.
 * - Without a `/` prefix rule, `location / { return 404; }` answers what nothing matched.
 */
import type { HttpRuleIR } from '@portico/ir';
import { block, comment, directive, str, word, type ConfNode, type Token } from './syntax.ts';
import { checkK8sName, checkPath } from './validate.ts';

/** One NGINX location a rule asks for: its modifier and decoded path. */
export interface LocationKey {
  modifier: '=' | '^~';
  path: string;
}

/** The locations a path match needs (see the file comment). */
export function locationKeys(rule: HttpRuleIR, field: string): LocationKey[] {
  const path = checkPath(rule.match.path.value, `${field}.match.path.value`);
  switch (rule.match.path.type) {
    case 'Exact':
      return [{ modifier: '=', path }];
    case 'PathPrefix': {
      const trimmed = path.replace(/\/+$/, '');
      if (trimmed === '') return [{ modifier: '^~', path: '/' }];
      return [
        { modifier: '=', path: trimmed },
        { modifier: '^~', path: `${trimmed}/` },
      ];
    }
  }
}

/** The body of the location(s) of one rule, given its index in the virtual host. */
export type ActionFor = (rule: HttpRuleIR, index: number) => ConfNode[];

/** Locations of one virtual host, in IR order, first claim of each location wins. */
export function renderLocations(
  rules: HttpRuleIR[],
  field: string,
  actionFor: ActionFor,
): ConfNode[] {
  const claimed = new Set<string>();
  const nodes: ConfNode[] = [];
  rules.forEach((rule, i) => {
    const at = `${field}[${i}]`;
    const keys = locationKeys(rule, at).filter((key) => {
      const id = `${key.modifier} ${key.path}`;
      if (claimed.has(id)) return false;
      claimed.add(id);
      return true;
    });
    nodes.push(comment(sourceComment(rule, at)));
    if (keys.length === 0) {
      nodes.push(comment('shadowed by an earlier rule with the same path'));
      return;
    }
    const body = actionFor(rule, i);
    for (const key of keys) nodes.push(location(key, at, body));
  });
  if (!claimed.has('^~ /')) {
    nodes.push(block('location', [word('/')], [directive('return', word(404))]));
  }
  return nodes;
}

function location(key: LocationKey, field: string, body: ConfNode[]): ConfNode {
  const args: Token[] = [word(key.modifier), str(key.path, `${field}.match.path.value`)];
  return block('location', args, body);
}

function sourceComment(rule: HttpRuleIR, field: string): string {
  const { kind, namespace, name, ruleIndex, matchIndex } = rule.source;
  checkK8sName(namespace, `${field}.source.namespace`);
  checkK8sName(name, `${field}.source.name`);
  const where = `rule ${Number(ruleIndex)} match ${Number(matchIndex)}`;
  return `${kind === 'HTTPRoute' ? kind : 'route'} ${namespace}/${name} ${where}`;
}
