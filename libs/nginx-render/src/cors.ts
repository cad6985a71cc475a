/**
 * The CORS filter. An allowed `Origin` is echoed back (allowed for `*` too, and required when
 * credentials are allowed); the other CORS headers are sent only with it, through maps keyed
 * on the echoed origin, so a refused origin gets none of them. A preflight (`OPTIONS` with
 * `Access-Control-Request-Method`) is answered by NGINX with 204; other requests go on to the
 * backend and get the headers on the way back (the backend's own CORS headers are hidden).
 * A `*` method or header list echoes what the preflight asked for.
 */
import type { CorsIR } from '@portico/ir';
import { checkHeaderName, literal } from './headers.ts';
import { escapeRegex } from './regex.ts';
import type { HttpScope } from './scope.ts';
import {
  block,
  directive,
  EMPTY_STRING,
  entry,
  str,
  word,
  type ConfNode,
  type Token,
} from './syntax.ts';
import { RenderError } from './errors.ts';

const ORIGIN = /^(?:\*|https?:\/\/[a-z0-9*.-]+(?::[0-9]{1,5})?)$/i;
const HIDDEN = [
  'Access-Control-Allow-Origin',
  'Access-Control-Allow-Credentials',
  'Access-Control-Allow-Methods',
  'Access-Control-Allow-Headers',
  'Access-Control-Expose-Headers',
  'Access-Control-Max-Age',
];

/** What a location with a CORS filter needs. */
export interface CorsPlan {
  /** Rewrite-phase: answer preflights before anything else runs. */
  preflight: ConfNode[];
  /** Response headers (and hidden backend ones) for every answer of the location. */
  headers: ConfNode[];
}

export function corsPlan(cors: CorsIR, http: HttpScope, field: string): CorsPlan {
  const origin = allowedOrigin(cors.allowOrigins, http, `${field}.allowOrigins`);
  const gated = (value: Token) =>
    http.map('cors', origin, [entry(EMPTY_STRING, EMPTY_STRING), entry(word('default'), value)]);
  const list = (items: string[], echo: string | undefined, at: string): Token | undefined => {
    if (items.length === 0) return undefined;
    if (items.includes('*') && echo !== undefined) return gated(word(echo));
    return gated(literal(items.join(', '), at));
  };
  for (const [i, m] of cors.allowMethods.entries()) {
    if (m !== '*' && !/^[A-Z]{1,32}$/.test(m)) {
      throw new RenderError(`${field}.allowMethods[${i}]`, 'not a method');
    }
  }
  for (const [i, h] of [...cors.allowHeaders, ...cors.exposeHeaders].entries()) {
    if (h !== '*') checkHeaderName(h, `${field}.headers[${i}]`);
  }
  if (!Number.isInteger(cors.maxAge) || cors.maxAge < 0) {
    throw new RenderError(`${field}.maxAge`, 'not a number of seconds');
  }
  const values: [string, Token | undefined][] = [
    ['Access-Control-Allow-Origin', origin],
    ['Access-Control-Allow-Credentials', cors.allowCredentials ? gated(word('true')) : undefined],
    [
      'Access-Control-Allow-Methods',
      list(cors.allowMethods, '$http_access_control_request_method', `${field}.allowMethods`),
    ],
    [
      'Access-Control-Allow-Headers',
      list(cors.allowHeaders, '$http_access_control_request_headers', `${field}.allowHeaders`),
    ],
    [
      'Access-Control-Expose-Headers',
      list(cors.exposeHeaders, undefined, `${field}.exposeHeaders`),
    ],
    ['Access-Control-Max-Age', gated(word(cors.maxAge))],
  ];
  const headers = [
    ...HIDDEN.map((h) => directive('proxy_hide_header', word(h))),
    ...values.flatMap(([name, value]) =>
      value === undefined ? [] : [directive('add_header', word(name), value, word('always'))],
    ),
    directive('add_header', word('Vary'), word('Origin'), word('always')),
  ];
  const isPreflight = http.map('preflight', word('$request_method'), [
    entry(word('OPTIONS'), word('$http_access_control_request_method')),
    entry(word('default'), EMPTY_STRING),
  ]);
  const preflight = [block('if', [word(`(${isPreflight})`)], [directive('return', word(204))])];
  return { preflight, headers };
}

/** `$http_origin` when it is one of the allowed origins (`*` in a pattern: any characters). */
function allowedOrigin(origins: string[], http: HttpScope, field: string): Token {
  const patterns = origins.map((o, i) => {
    if (!ORIGIN.test(o)) throw new RenderError(`${field}[${i}]`, 'not an origin');
    return o === '*' ? '.+' : o.split('*').map(escapeRegex).join('.*');
  });
  const entries =
    patterns.length === 0
      ? []
      : [entry(str(`~*^(?:${patterns.join('|')})$`, field), word('$http_origin'))];
  return http.map('origin', word('$http_origin'), [
    ...entries,
    entry(word('default'), EMPTY_STRING),
  ]);
}
