/**
 * Requests through NGINX the way the upstream suite sends them: one new connection per
 * request, the Host header from the case (or the Gateway address), an empty
 * `X-Echo-Set-Header`; a case passes once it met its expectation a number of times in a row
 * (upstream's "eventually consistent response"), and fails with the last mismatch otherwise.
 */
import { randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { PeerCertificate } from 'node:tls';
import {
  compareRoundTrip,
  describeExpected,
  type Captured,
  type EchoSeen,
  type Expected,
} from './http-compare.ts';
import { requestH2 } from './http2-request.ts';
import { expectWeightedDistribution } from './weights.ts';

export interface HttpExpectOptions {
  /** Consecutive matching answers needed (upstream: 3). */
  consecutive: number;
  /** Give up after this long (upstream: 30 s). */
  timeoutMs: number;
  /** Pause after a mismatch (upstream: 1 s). */
  retryDelayMs: number;
}

/** The Host header upstream derives from the address: the port is left out only for 80. */
function hostFor(address: string, e: Expected, tls: boolean): string {
  if (e.request.host) return e.request.host;
  const implied = tls ? ':443' : ':80';
  return address.endsWith(implied) ? address.slice(0, -implied.length) : address;
}

/** HTTPS: the CA to trust (PEM) and the SNI name to send. */
export interface TlsOptions {
  ca: string;
  serverName: string;
  /** `h2`: HTTP/2 only (upstream's `H2` protocol); default HTTP/1.1. */
  protocol?: 'h2';
  /** A client certificate (PEM) to present when the server asks for one (HTTP/1.1 only). */
  client?: { cert: string; key: string };
}

/**
 * Hostname verification as the upstream suite's Go client does it (crypto/x509): a `*` label
 * matches exactly one left-most label, so the suite's `*.org` certificate covers `example.org`.
 * Node's own check refuses wildcards over two-label names and would fail those requests
 * before NGINX's answer is even seen. The chain is still verified against `tls.ca`.
 */
function goHostnameCheck(host: string, cert: PeerCertificate): Error | undefined {
  const names = (cert.subjectaltname ?? '')
    .split(', ')
    .filter((entry) => entry.startsWith('DNS:'))
    .map((entry) => entry.slice(4).toLowerCase());
  const hostLabels = host.toLowerCase().replace(/\.$/, '').split('.');
  const matches = (pattern: string): boolean => {
    const labels = pattern.split('.');
    return (
      labels.length === hostLabels.length &&
      labels.every((label, i) => label === hostLabels[i] || (i === 0 && label === '*'))
    );
  };
  return names.some(matches)
    ? undefined
    : new Error(`${host} is not in the certificate's DNS names: ${names.join(', ')}`);
}

/** A response as the upstream round tripper keeps it: each header with all its values. */
interface RawAnswer {
  status: number;
  headers: Record<string, string[] | undefined>;
  body: string;
}

/**
 * One request on a new connection (HTTPS verifying the server against `tls.ca` when given).
 * Headers are kept distinct (`headersDistinct`), as Go's `http.Header` keeps them: node's
 * `headers` would join repeated response headers with ", " where upstream joins with ",".
 */
function requestOnce(
  url: string,
  method: string,
  headers: Record<string, string>,
  tls?: TlsOptions,
): Promise<RawAnswer> {
  if (tls?.protocol === 'h2')
    return requestH2(url, method, headers, { ...tls, checkServerIdentity: goHostnameCheck });
  return new Promise((resolve, reject) => {
    const base = {
      method,
      headers: { connection: 'close', ...headers },
      agent: false as const,
      timeout: 10_000,
    };
    const onResponse = (res: IncomingMessage): void => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: { ...res.headersDistinct }, body });
      });
    };
    const req = tls
      ? httpsRequest(
          url,
          {
            ...base,
            ca: tls.ca,
            servername: tls.serverName,
            checkServerIdentity: goHostnameCheck,
            ...(tls.client === undefined ? {} : { cert: tls.client.cert, key: tls.client.key }),
          },
          onResponse,
        )
      : httpRequest(url, base, onResponse);
    req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** Sends the case's request once to `address` (`ip:port`) and captures the answer. */
export async function roundTrip(
  address: string,
  e: Expected,
  extraHeaders: Record<string, string> = {},
  tls?: TlsOptions,
): Promise<Captured> {
  const headers: Record<string, string> = {
    host: hostFor(address, e, tls !== undefined),
    'X-Echo-Set-Header': '',
    ...e.request.headers,
    ...extraHeaders,
  };
  const method = e.request.method ?? 'GET';
  const scheme = tls ? 'https' : 'http';
  const response = await requestOnce(
    `${scheme}://${address}${e.request.path}`,
    method,
    headers,
    tls,
  );
  const captured: Captured = { status: response.status, headers: response.headers };
  const location = response.headers.location?.[0];
  if (location) captured.location = location;
  if (response.status === 200 || response.status === 204) {
    try {
      captured.echo = JSON.parse(response.body) as EchoSeen;
    } catch {
      // Not an echo answer; the comparison says so.
    }
  }
  return captured;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class HttpExpect {
  readonly #options: HttpExpectOptions;

  constructor(options: HttpExpectOptions) {
    this.#options = options;
  }

  /**
   * Upstream `MakeRequestAndExpectEventuallyConsistentResponse` (and, with `tls`, its
   * `MakeTLSRequestAndExpectEventuallyConsistentResponse`).
   */
  async expect(address: string, e: Expected, tls?: TlsOptions): Promise<void> {
    const deadline = Date.now() + this.#options.timeoutMs;
    let successes = 0;
    for (;;) {
      let last: string;
      try {
        const miss = compareRoundTrip(
          e,
          tls ? 'https' : 'http',
          await roundTrip(address, e, {}, tls),
        );
        if (miss === undefined) {
          if (++successes >= this.#options.consecutive) return;
          continue;
        }
        last = miss;
      } catch (error) {
        last = `request failed: ${error instanceof Error ? error.message : String(error)}`;
      }
      successes = 0;
      if (Date.now() >= deadline) throw new Error(`${describeExpected(e)}: ${last}`);
      await sleep(this.#options.retryDelayMs);
    }
  }

  /** Every case in order (upstream runs them as parallel subtests; any failure fails the test). */
  async expectAll(address: string, cases: Expected[]): Promise<void> {
    for (const c of cases) await this.expect(address, c);
  }

  /**
   * Upstream `weight.TestWeightedDistribution` over HTTP (weights.ts: 500 requests, 10 at a
   * time, every share within ±5 %, up to 10 tries), each request with a random `X-Jitter`
   * header as upstream's entropy (no random delay, to keep runs short). A request whose answer
   * does not match `e` fails its try.
   */
  expectDistribution(address: string, e: Expected, weights: Record<string, number>): Promise<void> {
    return expectWeightedDistribution(async () => {
      const got = await roundTrip(address, e, { 'X-Jitter': randomBytes(4).toString('hex') });
      const miss = compareRoundTrip(e, 'http', got);
      if (miss) throw new Error(miss);
      return got.echo?.pod ?? '';
    }, weights);
  }
}
