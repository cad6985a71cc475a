/**
 * One HTTPS request over HTTP/2 (ALPN `h2` only), as the upstream suite's `H2` round tripper
 * sends it: a connection of its own, the SNI name from the case, the Host as `:authority`.
 * Misdirected-request tests need it: with HTTP/2 a client may reuse a connection for another
 * host, which is the situation the 421 answer exists for. A server that does not negotiate h2
 * fails the request (no silent fallback to HTTP/1.1).
 */
import { connect, constants, type IncomingHttpHeaders } from 'node:http2';
import type { PeerCertificate } from 'node:tls';

/** What the h2 connection verifies: the CA, the SNI name and how the name is checked. */
export interface H2TlsOptions {
  ca: string;
  serverName: string;
  checkServerIdentity(host: string, cert: PeerCertificate): Error | undefined;
}

/** A response with each header's values kept apart, as the HTTP/1.1 client returns it. */
export interface H2Answer {
  status: number;
  headers: Record<string, string[] | undefined>;
  body: string;
}

/** Headers HTTP/2 forbids or carries as pseudo-headers (RFC 9113 8.2.2, 8.3.1). */
const CONNECTION_SPECIFIC = new Set([
  'connection',
  'host',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
]);

function responseHeaders(raw: IncomingHttpHeaders): Record<string, string[] | undefined> {
  const out: Record<string, string[] | undefined> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (name.startsWith(':') || value === undefined) continue;
    out[name] = Array.isArray(value) ? value : [String(value)];
  }
  return out;
}

/**
 * `method url` over a new h2 connection; the `host` entry of `headers` becomes `:authority`.
 * The connection is closed once the answer is read.
 */
export function requestH2(
  url: string,
  method: string,
  headers: Record<string, string>,
  tls: H2TlsOptions,
  timeoutMs = 10_000,
): Promise<H2Answer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const session = connect(`https://${target.host}`, {
      ca: tls.ca,
      servername: tls.serverName,
      checkServerIdentity: tls.checkServerIdentity,
      ALPNProtocols: ['h2'],
    });
    const fail = (error: Error): void => {
      session.destroy();
      reject(error);
    };
    session.on('error', fail);
    const regular = Object.fromEntries(
      Object.entries(headers)
        .filter(([name]) => !CONNECTION_SPECIFIC.has(name.toLowerCase()))
        .map(([name, value]) => [name.toLowerCase(), value]),
    );
    const stream = session.request({
      ...regular,
      [constants.HTTP2_HEADER_METHOD]: method,
      [constants.HTTP2_HEADER_PATH]: `${target.pathname}${target.search}`,
      [constants.HTTP2_HEADER_SCHEME]: 'https',
      [constants.HTTP2_HEADER_AUTHORITY]: headers['host'] ?? target.host,
    });
    stream.setTimeout(timeoutMs, () => fail(new Error(`${method} ${url} (h2) timed out`)));
    let status = 0;
    let answerHeaders: Record<string, string[] | undefined> = {};
    const chunks: Buffer[] = [];
    stream.on('response', (raw) => {
      status = Number(raw[constants.HTTP2_HEADER_STATUS] ?? 0);
      answerHeaders = responseHeaders(raw);
    });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', fail);
    stream.on('end', () => {
      session.close();
      resolve({ status, headers: answerHeaders, body: Buffer.concat(chunks).toString('utf8') });
    });
    stream.end();
  });
}
