/**
 * What the echo backend answers: the JSON shape of the Gateway API conformance echo server
 * (`conformance/echo-basic`), so tests written against the conformance suite's expectations
 * read the same fields. Pure: built from the parsed request and the server's context.
 */

/** Who is answering; set from flags or the conformance server's environment variables. */
export interface EchoContext {
  namespace: string;
  ingress: string;
  service: string;
  pod: string;
}

/** The JSON body of an echo answer (field names as in the conformance echo server). */
export interface EchoResponse {
  /** The request target as sent, query string included (Go's `RequestURI`). */
  path: string;
  host: string;
  method: string;
  /** `HTTP/1.1`, `HTTP/2.0`, ... */
  proto: string;
  /** Request headers by canonical name (`X-Foo`), every value kept, `Host` left out. */
  headers: Record<string, string[]>;
  httpPort: string;
  namespace: string;
  ingress: string;
  service: string;
  pod: string;
  /** Portico addition: the query string parsed into values by name. */
  query: Record<string, string[]>;
}

/** The parts of a received request that the answer describes. */
export interface ReceivedRequest {
  method: string;
  /** The raw request target (`/a/b?c=d`). */
  target: string;
  /** `1.1`, `2.0`. */
  httpVersion: string;
  /** Header names and values in arrival order, as Node's `rawHeaders`. */
  rawHeaders: readonly string[];
}

/** Builds the echo answer; keys of `headers` and `query` are sorted for stable output. */
export function describeRequest(
  request: ReceivedRequest,
  context: EchoContext,
  httpPort: string,
): EchoResponse {
  const headers: Record<string, string[]> = {};
  let host = '';
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i] ?? '';
    const value = request.rawHeaders[i + 1] ?? '';
    if (name.toLowerCase() === 'host') {
      host = value;
      continue;
    }
    const key = canonicalHeaderKey(name);
    (headers[key] ??= []).push(value);
  }
  return {
    path: request.target,
    host,
    method: request.method,
    proto: `HTTP/${request.httpVersion}`,
    headers: sortKeys(headers),
    httpPort,
    ...context,
    query: parseQuery(request.target),
  };
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Go's `textproto.CanonicalMIMEHeaderKey`: first letter and letters after `-` upper case, the
 * rest lower case; a name with characters outside an HTTP token is returned unchanged.
 */
export function canonicalHeaderKey(name: string): string {
  if (!TOKEN.test(name)) return name;
  return name
    .toLowerCase()
    .replace(
      /(^|-)([a-z])/g,
      (_match, dash: string, letter: string) => dash + letter.toUpperCase(),
    );
}

function parseQuery(target: string): Record<string, string[]> {
  const mark = target.indexOf('?');
  if (mark < 0) return {};
  const query: Record<string, string[]> = {};
  for (const [name, value] of new URLSearchParams(target.slice(mark + 1))) {
    (query[name] ??= []).push(value);
  }
  return sortKeys(query);
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

/**
 * Go's `time.ParseDuration` for the `?delay=` parameter (`150ms`, `1s`, `1m30s`), in
 * milliseconds; undefined when the text is not a duration.
 */
export function parseDelay(text: string): number | undefined {
  const units: Record<string, number> = {
    ns: 1e-6,
    us: 1e-3,
    µs: 1e-3,
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
  };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== text) return undefined;
  return parts.reduce((total, part) => total + Number(part[1]) * (units[part[2] ?? ''] ?? 0), 0);
}

/**
 * Response headers asked for with `X-Echo-Set-Header: Name: value, Other: value` (as the
 * conformance echo server does, for response header modifier tests).
 */
export function echoSetHeaders(values: readonly string[]): Array<[string, string]> {
  const result = new Map<string, string>();
  for (const list of values) {
    for (const item of list.split(',')) {
      const colon = item.indexOf(':');
      const name = (colon < 0 ? item : item.slice(0, colon)).trim();
      const value = colon < 0 ? '' : item.slice(colon + 1).trim();
      if (name === '') continue;
      const previous = result.get(name);
      result.set(name, previous === undefined ? value : `${previous},${value}`);
    }
  }
  return [...result];
}
