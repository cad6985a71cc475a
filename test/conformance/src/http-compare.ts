/**
 * One request and its expected outcome, and the pure comparison of a captured round trip
 * against it, with the semantics of the upstream suite's `CompareRoundTrip`: the status code
 * first; for 200 the request the echo backend saw (path, method, host, headers, namespace, pod
 * name prefix) and the response headers; for 3xx the redirect target.
 */

export interface RequestSpec {
  path: string;
  host?: string;
  method?: string;
  headers?: Record<string, string>;
}

export interface Expected {
  request: RequestSpec;
  /** What the backend must see; defaults to `request`. */
  backendRequest?: Partial<RequestSpec> & { absentHeaders?: string[] };
  /** Accepted status codes; default [200]. */
  status?: number[];
  responseHeaders?: Record<string, string>;
  /** Response headers that must have one of the listed values (upstream `ValidHeaderValues`). */
  validResponseHeaders?: Record<string, string[]>;
  /** Compare response header values without spaces (upstream `IgnoreWhitespace`). */
  ignoreWhitespace?: boolean;
  absentResponseHeaders?: string[];
  /** Prefix of the answering pod's name, e.g. `infra-backend-v1`. */
  backend?: string;
  /** Namespace of the answering backend (checked on 200, empty means empty). */
  namespace?: string;
  redirect?: { scheme?: string; host?: string; port?: string; path?: string };
}

/** What the echo backend reported (its JSON answer). */
export interface EchoSeen {
  path: string;
  host: string;
  method: string;
  headers: Record<string, string[]>;
  namespace: string;
  pod: string;
}

export interface Captured {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed echo answer when the body was one. */
  echo?: EchoSeen;
  location?: string;
}

const lower = (h: Record<string, string[]>): Map<string, string> =>
  new Map(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v.join(',')]));

/** A short label for a case, like upstream's test case names. */
export function describeExpected(e: Expected): string {
  const parts = [`${e.request.method ?? 'GET'} ${e.request.path}`];
  if (e.request.host) parts.push(`host=${e.request.host}`);
  for (const [k, v] of Object.entries(e.request.headers ?? {})) parts.push(`${k}=${v}`);
  const want = e.backend ? `${e.backend}` : String((e.status ?? [200]).join('|'));
  return `${parts.join(' ')} -> ${want}`;
}

/** `undefined` when the round trip meets the expectation, else why not. */
export function compareRoundTrip(
  e: Expected,
  requestScheme: string,
  got: Captured,
): string | undefined {
  const codes = e.status ?? [200];
  if (!codes.includes(got.status))
    return `expected status ${codes.join(' or ')}, got ${got.status}`;
  if (got.status === 200 || got.status === 204) return compareServed(e, got);
  if (got.status >= 300 && got.status < 400 && e.redirect)
    return compareRedirect(e, requestScheme, got);
  return undefined;
}

/**
 * What upstream captures from an answer that is not an echo (a preflight answered by the
 * gateway): an empty request with the method sent. Such a case expects the backend path ''.
 */
const notEchoed = (method: string): EchoSeen => ({
  path: '',
  host: '',
  method,
  headers: {},
  namespace: '',
  pod: '',
});

function compareServed(e: Expected, got: Captured): string | undefined {
  const want = { ...e.request, ...e.backendRequest };
  if (!got.echo && want.path !== '') return 'the answer is not an echo backend answer';
  const seen = got.echo ?? notEchoed(e.request.method ?? 'GET');
  if (want.host && want.host !== seen.host)
    return `backend saw host ${seen.host}, expected ${want.host}`;
  if (want.path !== seen.path) return `backend saw path ${seen.path}, expected ${want.path}`;
  const method = want.method ?? 'GET';
  if (method !== seen.method) return `backend saw method ${seen.method}, expected ${method}`;
  if ((e.namespace ?? '') !== seen.namespace)
    return `answered from namespace ${seen.namespace || '(none)'}, expected ${e.namespace ?? '(none)'}`;
  const seenHeaders = lower(seen.headers);
  if (e.backendRequest?.headers) {
    for (const [name, value] of Object.entries(e.backendRequest.headers)) {
      const have = seenHeaders.get(name.toLowerCase());
      if (have === undefined) return `backend did not see header ${name}`;
      if (have !== value) return `backend saw ${name}: ${have}, expected ${value}`;
    }
  }
  for (const name of e.backendRequest?.absentHeaders ?? []) {
    if (seenHeaders.has(name.toLowerCase()))
      return `backend saw header ${name}, expected it removed`;
  }
  const miss = compareResponseHeaders(e, got);
  if (miss) return miss;
  if (e.backend && !seen.pod.startsWith(e.backend))
    return `answered by pod ${seen.pod}, expected ${e.backend}-*`;
  return undefined;
}

function compareResponseHeaders(e: Expected, got: Captured): string | undefined {
  const squeeze = (v: string): string => (e.ignoreWhitespace ? v.replaceAll(' ', '') : v);
  const value = (name: string): string | undefined => {
    const v = got.headers[name.toLowerCase()];
    return Array.isArray(v) ? v.join(',') : v;
  };
  for (const [name, valid] of Object.entries(e.validResponseHeaders ?? {})) {
    const have = value(name);
    if (have === undefined) return `response lacks header ${name}`;
    if (!valid.map(squeeze).includes(squeeze(have)))
      return `response header ${name}: ${have}, expected one of ${valid.join(' | ')}`;
  }
  for (const [name, want] of Object.entries(e.responseHeaders ?? {})) {
    const have = value(name);
    if (have === undefined) return `response lacks header ${name}`;
    if (squeeze(have) !== squeeze(want))
      return `response header ${name}: ${have}, expected ${want}`;
  }
  for (const name of e.absentResponseHeaders ?? []) {
    if (value(name) !== undefined) return `response has header ${name}, expected it absent`;
  }
  return undefined;
}

function compareRedirect(e: Expected, requestScheme: string, got: Captured): string | undefined {
  if (!got.location) return 'redirect without a Location header';
  let target: URL;
  try {
    target = new URL(got.location);
  } catch {
    return `Location is not an absolute URL: ${got.location}`;
  }
  const scheme = target.protocol.replace(/:$/, '');
  const want = e.redirect ?? {};
  const host = want.host ?? target.hostname;
  if (host !== target.hostname) return `redirected to host ${target.hostname}, expected ${host}`;
  const port = target.port;
  if (want.port === undefined) {
    if (scheme === 'http' && port !== '' && port !== '80')
      return `for http, expected redirect port 80 or none, got ${port}`;
    if (scheme === 'https' && port !== '' && port !== '443')
      return `for https, expected redirect port 443 or none, got ${port}`;
  } else if (want.port !== port)
    return `redirected to port ${port || '(none)'}, expected ${want.port}`;
  const wantScheme = want.scheme ?? requestScheme;
  if (wantScheme !== scheme) return `redirected to scheme ${scheme}, expected ${wantScheme}`;
  const path = want.path ?? e.request.path.split('?')[0];
  if (path !== target.pathname) return `redirected to path ${target.pathname}, expected ${path}`;
  return undefined;
}
