/**
 * Gateway API matching laid out as NGINX locations, so that a request ends in the rule the
 * spec's precedence picks (the IR lists a virtual host's rules in that order):
 *
 * - Every `Exact /p` rule asks for `location = /p`; every `PathPrefix /p` rule for
 *   `location = /p` and `location ^~ /p/` (`/p` and `/p/...`, not `/pfoo`; `PathPrefix /` for
 *   `location ^~ /`). NGINX picks exact locations first and the longest `^~` prefix, which is
 *   the spec's path order. Without a `^~ /` location, `location /` takes what is left.
 * - A location's candidates are the rules that can match a URI arriving there, in IR order:
 *   its own rules, rules with shorter prefixes of it, and every `RegularExpression` rule. The
 *   list ends at the first rule with no condition left to test (later ones cannot win).
 * - No candidate: `return 404`. A first candidate without conditions: the rule's action sits in
 *   the location itself (no dispatch, full speed). Otherwise a `map` picks the first candidate
 *   whose conditions hold and `rewrite ... last` jumps to that rule's internal location
 *   (dispatch.ts), the design the architecture page measured at 0.96 of plain proxying.
 */
import type { HttpRuleIR } from '@portico/ir';
import { RenderError } from './errors.ts';
import { block, comment, directive, str, word, type ConfNode, type Token } from './syntax.ts';
import { checkK8sName, checkPath } from './validate.ts';

/** One NGINX location; `modifier` '' is the fallback `location /`. */
export interface LocationKey {
  modifier: '=' | '^~' | '';
  path: string;
}

/** A location and the rules (indexes into the virtual host's rules) that may serve it. */
export interface PlannedLocation {
  key: LocationKey;
  candidates: number[];
}

/** The decoded path of an Exact rule, or the trimmed decoded prefix of a PathPrefix rule. */
function rulePath(rule: HttpRuleIR, field: string): string {
  const path = checkPath(rule.match.path.value, `${field}.match.path.value`);
  // Internal locations live under `//`: no route may claim a location there.
  if (path.startsWith('//')) {
    throw new RenderError(`${field}.match.path.value`, 'a path starting with "//" is refused');
  }
  return rule.match.path.type === 'PathPrefix' ? path.replace(/\/+$/, '') : path;
}

/** The locations a rule's path asks for (none for a regex: it is a candidate everywhere). */
export function locationKeys(rule: HttpRuleIR, field: string): LocationKey[] {
  switch (rule.match.path.type) {
    case 'Exact':
      return [{ modifier: '=', path: rulePath(rule, field) }];
    case 'PathPrefix': {
      const trimmed = rulePath(rule, field);
      if (trimmed === '') return [{ modifier: '^~', path: '/' }];
      return [
        { modifier: '=', path: trimmed },
        { modifier: '^~', path: `${trimmed}/` },
      ];
    }
    case 'RegularExpression':
      return [];
  }
}

/** Whether a condition other than the location itself must hold for `rule`. */
export function isConditional(rule: HttpRuleIR): boolean {
  const m = rule.match;
  return (
    m.path.type === 'RegularExpression' ||
    m.method !== undefined ||
    (m.headers ?? []).length > 0 ||
    (m.queryParams ?? []).length > 0
  );
}

/** Whether `rule`'s path matches every URI that arrives at `key`, or some of them. */
function servesLocation(rule: HttpRuleIR, key: LocationKey, field: string): boolean {
  if (rule.match.path.type === 'RegularExpression') return true;
  if (key.modifier === '') return false;
  const path = rulePath(rule, field);
  if (rule.match.path.type === 'Exact') return key.modifier === '=' && key.path === path;
  const within = key.modifier === '=' ? key.path : key.path.replace(/\/$/, '');
  return path === '' || within === path || within.startsWith(`${path}/`);
}

/** The locations of one virtual host, each with its candidates (see the file comment). */
export function planLocations(rules: HttpRuleIR[], field: string): PlannedLocation[] {
  const keys = new Map<string, LocationKey>();
  rules.forEach((rule, i) => {
    for (const key of locationKeys(rule, `${field}[${i}]`)) {
      keys.set(`${key.modifier} ${key.path}`, key);
    }
  });
  if (!keys.has('^~ /')) keys.set(' /', { modifier: '', path: '/' });
  return [...keys.values()].map((key) => {
    const candidates: number[] = [];
    for (const [i, rule] of rules.entries()) {
      if (!servesLocation(rule, key, `${field}[${i}]`)) continue;
      candidates.push(i);
      if (!isConditional(rule)) break;
    }
    return { key, candidates };
  });
}

/** `location <modifier> <path> { body }`. */
export function location(key: LocationKey, body: ConfNode[], field: string): ConfNode {
  const args: Token[] =
    key.modifier === ''
      ? [word('/')]
      : [word(key.modifier), str(key.path, `${field}.match.path.value`)];
  return block('location', args, body);
}

/** `return 404` for a location no rule can serve. */
export const NOT_FOUND: ConfNode[] = [directive('return', word(404))];

/** A comment naming where a rule came from (route, rule index or name, match). */
export function sourceComment(rule: HttpRuleIR, field: string): ConfNode {
  const { kind, namespace, name, ruleIndex, matchIndex, ruleName } = rule.source;
  checkK8sName(namespace, `${field}.source.namespace`);
  checkK8sName(name, `${field}.source.name`);
  if (ruleName !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(ruleName)) {
    throw new RenderError(`${field}.source.ruleName`, 'not a valid rule name');
  }
  const named = ruleName === undefined ? '' : ` (${ruleName})`;
  const where = `rule ${Number(ruleIndex)}${named} match ${Number(matchIndex)}`;
  return comment(`${kind === 'HTTPRoute' ? kind : 'route'} ${namespace}/${name} ${where}`);
}
