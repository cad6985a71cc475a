/**
 * Header directives of a location: what the upstream request carries (`proxy_set_header`)
 * and what the response gets (`add_header`, `proxy_hide_header`).
 *
 * NGINX inherits `proxy_set_header` and `add_header` from the http level only when a location
 * has none of its own, so a location that changes one header writes the whole table: the
 * defaults below, then the rule's changes. Header values are user input and NGINX expands
 * `$` in them with no escape, so `expression()` writes a `$` as `${portico_dollar}` (a `geo`
 * variable whose value is "$", declared in nginx.conf).
 */
import type { HeaderModifierIR } from '@portico/ir';
import { RenderError } from './errors.ts';
import type { HttpScope } from './scope.ts';
import {
  directive,
  EMPTY_STRING,
  entry,
  name as nameToken,
  str,
  word,
  type ConfNode,
  type Token,
} from './syntax.ts';

/** The variable whose value is a literal `$`. */
export const DOLLAR_VARIABLE = 'portico_dollar';
/** The Host the upstream sees: the client's Host header as sent (port included), or `$host`. */
export const HOST_VARIABLE = 'portico_host';

/**
 * Piece of a value: text to write literally, one of our own variables (without `$`), or a
 * regex capture (`$1`, written last: NGINX reads `$1x` as capture 1 then `x`).
 */
export type Part = { text: string } | { variable: string } | { capture: number };

/** The http-level upstream request headers (nginx.conf); locations that change any repeat them. */
export const DEFAULT_PROXY_HEADERS: ReadonlyArray<readonly [string, readonly Part[]]> = [
  ['Host', [{ variable: HOST_VARIABLE }]],
  ['Connection', []],
  ['X-Forwarded-For', [{ variable: 'proxy_add_x_forwarded_for' }]],
  ['X-Forwarded-Proto', [{ variable: 'scheme' }]],
  ['X-Forwarded-Host', [{ variable: 'host' }]],
];

/** Header names as HTTP tokens (what the graph's validator allows). */
const TOKEN = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]{1,256}$/;
/** Names NGINX can read from the request as `$http_<name>`. */
const REQUEST_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,255}$/;

/** A quoted NGINX string from literal text and our own variables, `$` in text escaped. */
export function expression(parts: readonly Part[], field: string): Token {
  const only = parts.length === 1 ? parts[0] : undefined;
  if (only !== undefined && 'variable' in only) return word(`$${only.variable}`);
  const value = parts
    .map((p) => {
      if ('text' in p) return p.text.replaceAll('$', `\${${DOLLAR_VARIABLE}}`);
      if ('capture' in p) return `$${p.capture}`;
      if (!/^[a-z_][a-z0-9_]*$/.test(p.variable)) {
        throw new Error(`internal: bad variable ${p.variable}`);
      }
      return `\${${p.variable}}`;
    })
    .join('');
  return value === '' ? EMPTY_STRING : str(value, field);
}

/** User text as a quoted NGINX string where NGINX expands variables. */
export function literal(text: string, field: string): Token {
  return expression([{ text }], field);
}

export function checkHeaderName(name: string, field: string, request = false): string {
  if (!(request ? REQUEST_NAME : TOKEN).test(name)) {
    throw new RenderError(field, 'invalid header name for NGINX');
  }
  return name;
}

/** `http_<name>`: the variable NGINX reads a request header from. */
export function requestHeaderVariable(name: string, field: string): string {
  return `http_${checkHeaderName(name, field, true).toLowerCase().replaceAll('-', '_')}`;
}

/** The variable a `map` defined, without its `$`. */
export function variableOf(token: Token): string {
  return token.slice(1);
}

interface Entry {
  name: string;
  value: Part[];
}

/** What a location changes in the upstream request, beyond the http-level defaults. */
export interface RequestHeaderPlan {
  modifiers: HeaderModifierIR[];
  hostname?: string | undefined;
  websocket: boolean;
}

/**
 * `proxy_set_header` lines for a location: none when nothing changes (the http level
 * applies), else the defaults with the changes applied, in order.
 */
export function requestHeaders(
  plan: RequestHeaderPlan,
  http: HttpScope,
  field: string,
): ConfNode[] {
  if (plan.modifiers.length === 0 && plan.hostname === undefined && !plan.websocket) return [];
  const table = new Map<string, Entry>(
    DEFAULT_PROXY_HEADERS.map(([name, value]) => [name.toLowerCase(), { name, value: [...value] }]),
  );
  const changed = new Set<string>();
  const put = (name: string, value: Part[]) => {
    table.set(name.toLowerCase(), { name, value });
    changed.add(name.toLowerCase());
  };
  if (plan.hostname !== undefined) put('Host', [{ text: plan.hostname }]);
  if (plan.websocket) {
    put('Upgrade', [{ variable: 'http_upgrade' }]);
    put('Connection', [{ variable: variableOf(connectionUpgrade(http)) }]);
  }
  plan.modifiers.forEach((mod, m) => {
    const at = `${field}.requestHeaders[${m}]`;
    for (const { name, value } of mod.set)
      put(checkHeaderName(name, `${at}.set`), [{ text: value }]);
    for (const { name, value } of mod.add) {
      const lower = checkHeaderName(name, `${at}.add`, true).toLowerCase();
      const previous = changed.has(lower) ? table.get(lower)?.value : undefined;
      put(name, appended(name, value, previous, http, `${at}.add`));
    }
    for (const name of mod.remove) put(checkHeaderName(name, `${at}.remove`), []);
  });
  return [...table.values()].map((e) =>
    directive('proxy_set_header', nameToken(e.name, field), expression(e.value, field)),
  );
}

/**
 * `add` appends to the header's current value with a comma, or sets it when the header is
 * absent: a map from the current value, so an absent header does not become `,value`.
 */
function appended(
  name: string,
  value: string,
  previous: Part[] | undefined,
  http: HttpScope,
  field: string,
): Part[] {
  if (previous !== undefined && previous.length === 0) return [{ text: value }];
  const only = previous?.length === 1 ? previous[0] : undefined;
  if (previous !== undefined && (only === undefined || !('variable' in only))) {
    return [...previous, { text: `,${value}` }];
  }
  const source =
    only !== undefined && 'variable' in only ? only.variable : requestHeaderVariable(name, field);
  const mapped = http.map('add', word(`$${source}`), [
    entry(EMPTY_STRING, literal(value, field)),
    entry(word('default'), expression([{ variable: source }, { text: `,${value}` }], field)),
  ]);
  return [{ variable: variableOf(mapped) }];
}

/** `Connection: upgrade` when the client asked to upgrade, else empty (keepalive stays). */
function connectionUpgrade(http: HttpScope): Token {
  return http.map('upgrade', word('$http_upgrade'), [
    entry(word('default'), word('upgrade')),
    entry(EMPTY_STRING, EMPTY_STRING),
  ]);
}

/** `add_header` / `proxy_hide_header` lines for response header modifiers, applied in order. */
export function responseHeaders(modifiers: HeaderModifierIR[], field: string): ConfNode[] {
  const values: { name: string; value: Token }[] = [];
  const hidden = new Map<string, string>();
  modifiers.forEach((mod, m) => {
    const at = `${field}.responseHeaders[${m}]`;
    const drop = (name: string) => {
      const lower = checkHeaderName(name, at).toLowerCase();
      hidden.set(lower, name);
      for (let i = values.length - 1; i >= 0; i--) {
        if (values[i]?.name.toLowerCase() === lower) values.splice(i, 1);
      }
    };
    for (const { name, value } of mod.set) {
      drop(name);
      values.push({ name, value: literal(value, `${at}.set`) });
    }
    for (const { name, value } of mod.add) {
      values.push({ name: checkHeaderName(name, at), value: literal(value, `${at}.add`) });
    }
    for (const name of mod.remove) drop(name);
  });
  return [
    ...[...hidden.values()].map((n) => directive('proxy_hide_header', nameToken(n, field))),
    ...values.map((e) =>
      directive('add_header', nameToken(e.name, field), e.value, word('always')),
    ),
  ];
}
