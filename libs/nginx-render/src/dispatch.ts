/**
 * Map-based dispatch for a location whose first candidate has conditions (method, headers,
 * query parameters, a regex path):
 *
 *     map $http_version $portico_c_<tag>_<h1> { "~^one$" 1; default 0; }   # one per condition
 *     map "$portico_c_..$portico_c_.." $portico_d_<tag>_<h> {                # one per location
 *         "~^1." //portico/<rule id>;   # candidates in precedence order: first match wins
 *         default //portico/404;
 *     }
 *     location ^~ /p/ { rewrite ^ $portico_d_<tag>_<h> last; }
 *
 * Each condition is its own map yielding `1` or `0`, and the dispatch key is the string of
 * those digits, so a request value can never shift or forge another condition (one composite
 * string of raw header values could, through its separators). Literal values are
 * regex-escaped; user regexes are wrapped for a full match. Header values and names compare
 * as the spec says: values case-sensitively (regexes, since exact `map` keys ignore case),
 * header names case-insensitively (`$http_*`), query names case-sensitively (a regex over
 * `$args` extracts the first value of the name as written).
 */
import type { HttpRuleIR, ValueMatchIR } from '@portico/ir';
import { requestHeaderVariable } from './headers.ts';
import { escapeRegex, fullMatch } from './regex.ts';
import { INTERNAL_PREFIX, type HttpScope } from './scope.ts';
import { directive, EMPTY_STRING, entry, str, word, type ConfNode, type Token } from './syntax.ts';

/** Where a dispatched request goes when no candidate's conditions hold. */
export const NOT_FOUND_TARGET = `${INTERNAL_PREFIX}404`;

/** The condition variables of one rule (all must be `1`). */
export function ruleConditions(rule: HttpRuleIR, http: HttpScope, field: string): Token[] {
  const m = rule.match;
  const out: Token[] = [];
  if (m.path.type === 'RegularExpression') {
    const re = fullMatch(m.path.value, `${field}.match.path.value`);
    out.push(condition(http, word('$uri'), str(`~${re}`, `${field}.match.path.value`)));
  }
  if (m.method !== undefined) {
    if (!/^[A-Z]{1,16}$/.test(m.method)) throw new Error('internal: method checked by the IR');
    out.push(condition(http, word('$request_method'), word(m.method)));
  }
  (m.headers ?? []).forEach((h, i) => {
    const at = `${field}.match.headers[${i}]`;
    const source = word(`$${requestHeaderVariable(h.name, `${at}.name`)}`);
    out.push(condition(http, source, valuePattern(h, at)));
  });
  (m.queryParams ?? []).forEach((q, i) => {
    const at = `${field}.match.queryParams[${i}]`;
    out.push(condition(http, queryValue(q.name, http, `${at}.name`), valuePattern(q, at)));
  });
  return out;
}

/** `map <source> $c { <pattern> 1; default 0; }`, shared by equal conditions. */
function condition(http: HttpScope, source: Token, pattern: Token): Token {
  return http.map('c', source, [entry(pattern, word(1)), entry(word('default'), word(0))]);
}

function valuePattern(match: ValueMatchIR, field: string): Token {
  const re =
    match.type === 'Exact'
      ? `^${escapeRegex(match.value)}$`
      : fullMatch(match.value, `${field}.value`);
  return str(`~${re}`, `${field}.value`);
}

/** A variable holding the first raw value of query parameter `name` (case-sensitive). */
function queryValue(name: string, http: HttpScope, field: string): Token {
  const pattern = str(`~(?:^|&)${escapeRegex(name)}=([^&]*)`, field);
  return http.map('q', word('$args'), [
    entry(pattern, word('$1')),
    entry(word('default'), EMPTY_STRING),
  ]);
}

/** One candidate of a dispatched location: its conditions and the internal URI to go to. */
export interface DispatchCandidate {
  conditions: Token[];
  target: string;
}

/**
 * The dispatch variable of a location: candidates in precedence order; a candidate without
 * conditions becomes the default (and ends the list), else the default is 404.
 */
export function dispatchVariable(candidates: DispatchCandidate[], http: HttpScope): Token {
  const columns = [...new Set(candidates.flatMap((c) => c.conditions))];
  const entries: ConfNode[] = [];
  let fallback = NOT_FOUND_TARGET;
  for (const candidate of candidates) {
    if (candidate.conditions.length === 0) {
      fallback = candidate.target;
      break;
    }
    const pattern = columns.map((c) => (candidate.conditions.includes(c) ? '1' : '.')).join('');
    // NGINX tries exact map keys before any regex, so only the first entry may be exact (a
    // hashed lookup); later ones stay ordered regexes behind the ones that precede them.
    const exact = entries.length === 0 && !pattern.includes('.');
    entries.push(entry(word(exact ? pattern : `~^${pattern}`), word(candidate.target)));
  }
  entries.push(entry(word('default'), word(fallback)));
  return http.map('d', word(columns.join('')), entries);
}

/** The body of a dispatching location. `savePath` keeps the URI for rules that rewrite it. */
export function dispatchBody(variable: Token, savePath: boolean): ConfNode[] {
  return [
    ...(savePath ? [directive('set', word(`$${PATH_VARIABLE}`), word('$uri'))] : []),
    directive('rewrite', word('^'), variable, word('last')),
  ];
}

/** The client's URI, saved before a jump to an internal location changes `$uri`. */
export const PATH_VARIABLE = 'portico_path';
