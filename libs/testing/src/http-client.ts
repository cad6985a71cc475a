/**
 * A plain HTTP client for tests on `node:http`: one fresh connection per request (no agent, no
 * keep-alive), so a request after an NGINX reload reaches a new worker and never reuses a
 * connection that an old worker still holds.
 */
import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';

/** Options of {@link httpRequest}. */
export interface HttpRequestOptions {
  method?: string;
  /** Request headers; `Host` here overrides the host taken from the URL. */
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  timeoutMs?: number;
}

/** A complete response, body read as UTF-8 text. */
export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON; throws with the body text when it is not JSON. */
  json<T = unknown>(): T;
}

/** Sends one request on a new connection and reads the whole response. */
export function httpRequest(url: string, options: HttpRequestOptions = {}): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        headers: { connection: 'close', ...options.headers },
        agent: false,
        timeout: options.timeoutMs ?? 5000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            json: () => parseJson(body),
          });
        });
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`HTTP ${options.method ?? 'GET'} ${url} timed out`)),
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** `GET url` on a new connection. */
export function httpGet(
  url: string,
  options: Omit<HttpRequestOptions, 'method' | 'body'> = {},
): Promise<HttpResponse> {
  return httpRequest(url, { ...options, method: 'GET' });
}

function parseJson<T>(body: string): T {
  try {
    return JSON.parse(body) as T;
  } catch {
    throw new Error(`response body is not JSON: ${body.slice(0, 500)}`);
  }
}
