/**
 * Validators (invariant 7): every user value that can reach nginx.conf is checked against an
 * explicit pattern before it enters the IR. A validator returns a problem message, or
 * undefined when the value is fine; the graph turns the message into the condition of the
 * object that carried the value. Injected through `deps` so a test or a stricter data plane
 * can swap them.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { regexProblem } from './regex.ts';

export interface Validators {
  /** Listener and route hostnames: RFC 1123 names, optionally with a leading `*.`. */
  hostname(value: string): string | undefined;
  /** `Exact` and `PathPrefix` path values. */
  pathValue(value: string): string | undefined;
  /** EndpointSlice addresses, checked against the slice's `addressType`. */
  endpointAddress(value: string, addressType: string): string | undefined;
  /** Listener, Service and endpoint ports. */
  port(value: number): string | undefined;
  /** backendRef weights. */
  weight(value: number): string | undefined;
  /** Header names of modifiers (set, remove): the HTTP token syntax the CRD allows. */
  headerName(value: string): string | undefined;
  /**
   * Header names NGINX must read from the request (matches, `add`): it exposes them as
   * `$http_<name>`, so letters, digits and `-` only.
   */
  requestHeaderName(value: string): string | undefined;
  /** Query parameter names of matches. */
  queryParamName(value: string): string | undefined;
  /** Header and query values written into NGINX config: printable, one line. */
  headerValue(value: string): string | undefined;
  /** `RegularExpression` values (see regex.ts for the subset and why). */
  regex(value: string): string | undefined;
  /** Redirect and rewrite path values: a path that decodes to no `?`, `#`, `/` or control. */
  replacementPath(value: string): string | undefined;
  /** CORS `allowOrigins` entries: `scheme://host[:port]` with an optional `*`, or `*`. */
  corsOrigin(value: string): string | undefined;
}

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DOTTED_QUAD = /^[0-9]+(\.[0-9]+){3}$/;

function hostname(value: string): string | undefined {
  const name = value.startsWith('*.') ? value.slice(2) : value;
  if (name.length === 0 || value.length > 253) return `invalid hostname "${value}"`;
  if (DOTTED_QUAD.test(name)) return `hostname "${value}" is an IP address`;
  const badLabel = name.split('.').find((label) => label.length > 63 || !LABEL.test(label));
  return badLabel === undefined ? undefined : `invalid hostname "${value}": RFC 1123 names only`;
}

// RFC 3986 path characters, minus the ones NGINX treats specially or that quote/escape:
// no whitespace, quotes, `{`, `}`, `;`, `$`, `\`, `#`, `?` or control characters.
const PATH = /^\/(?:[A-Za-z0-9\-._~!&()*+,=:@/]|%[0-9A-Fa-f]{2})*$/;
// Sequences the Gateway API CRD also refuses, because they make matching ambiguous.
const PATH_SEQUENCES = /\/\/|\/\.\.?(\/|$)|%2f/i;

function pathValue(value: string): string | undefined {
  if (value.length > 1024) return `path "${value.slice(0, 32)}..." is longer than 1024`;
  if (!PATH.test(value)) return `path "${value}" must start with "/" and use RFC 3986 characters`;
  if (PATH_SEQUENCES.test(value)) return `path "${value}" has "//", "/./", "/../" or "%2F"`;
  return undefined;
}

function endpointAddress(value: string, addressType: string): string | undefined {
  if (addressType === 'IPv4' && isIPv4(value)) return undefined;
  if (addressType === 'IPv6' && isIPv6(value)) return undefined;
  return `address "${value}" is not a valid ${addressType} address`;
}

function port(value: number): string | undefined {
  return Number.isInteger(value) && value >= 1 && value <= 65535
    ? undefined
    : `port ${value} is not in 1-65535`;
}

function weight(value: number): string | undefined {
  return Number.isInteger(value) && value >= 0 && value <= 1_000_000
    ? undefined
    : `weight ${value} is not in 0-1000000`;
}

const TOKEN = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]{1,256}$/;
const NGINX_HEADER = /^[A-Za-z0-9][A-Za-z0-9-]{0,255}$/;

function headerName(value: string): string | undefined {
  return TOKEN.test(value) ? undefined : `invalid header name "${printable(value)}"`;
}

function requestHeaderName(value: string): string | undefined {
  return NGINX_HEADER.test(value)
    ? undefined
    : `header name "${printable(value)}" must use letters, digits and "-" only`;
}

function queryParamName(value: string): string | undefined {
  return TOKEN.test(value) ? undefined : `invalid query parameter name "${printable(value)}"`;
}

function headerValue(value: string): string | undefined {
  if (value.length > 4096) return 'header value longer than 4096';
  // Printable characters only: no CR/LF (a new header or directive), no other controls.
  const control = [...value].some((c) => {
    const code = c.codePointAt(0) ?? 0;
    return code < 0x20 || (code >= 0x7f && code < 0xa0);
  });
  if (!value.isWellFormed() || control) {
    return `header value "${printable(value)}" has control characters`;
  }
  return undefined;
}

/** Percent-escapes whose decoded form would change a rewritten or redirected URI's meaning. */
const UNSAFE_ESCAPE = /%(?:[01][0-9a-f]|7f|2f|3f|23)/i;

function replacementPath(value: string): string | undefined {
  const problem = pathValue(value);
  if (problem !== undefined) return problem;
  return UNSAFE_ESCAPE.test(value)
    ? `path "${value}" encodes "/", "?", "#" or a control character`
    : undefined;
}

const ORIGIN =
  /^(?:\*|(?:https?):\/\/(?:\*|(?:\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)(?::[0-9]{1,5})?)$/i;

function corsOrigin(value: string): string | undefined {
  return value.length <= 253 && ORIGIN.test(value)
    ? undefined
    : `CORS origin "${printable(value)}" must be "*" or scheme://host[:port]`;
}

/** A value quoted in a message, its control characters shown as escapes. */
function printable(value: string): string {
  const text = value.length > 64 ? `${value.slice(0, 64)}...` : value;
  return JSON.stringify(text).slice(1, -1);
}

/** The validators Portico uses in production. */
export const defaultValidators: Validators = {
  hostname,
  pathValue,
  endpointAddress,
  port,
  weight,
  headerName,
  requestHeaderName,
  queryParamName,
  headerValue,
  regex: regexProblem,
  replacementPath,
  corsOrigin,
};
