/**
 * The HTTP/1.1 echo listener: every request is answered with the conformance echo JSON,
 * except `/health` (200 OK) and `/status/NNN` (that status); `?delay=1s` waits first and
 * `X-Echo-Set-Header` sets response headers, like the conformance echo server. The request is
 * logged before the answer is written.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EchoConfig } from './config.ts';
import type { EchoListener, EchoLog } from './listener.ts';
import { describeRequest, echoSetHeaders, parseDelay } from './request-info.ts';

/** An answer, decided before anything is written. */
interface Reply {
  status: number;
  headers: Array<[string, string]>;
  body: string;
}

/** Starts the HTTP/1.1 listener on 127.0.0.1 and resolves once it is bound. */
export function startHttpListener(config: EchoConfig, log: EchoLog): Promise<EchoListener> {
  let port = config.httpPort;
  const server = createServer((req, res) => {
    req.resume();
    decide(req, config, String(port))
      .catch((error: unknown) => reply(500, 'application/json', { message: String(error) }))
      .then((answer) => {
        logRequest(log, req, answer.status);
        send(res, answer);
      });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port }, () => {
      const address = server.address();
      port = address !== null && typeof address === 'object' ? address.port : port;
      resolve({
        protocol: 'http',
        port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

async function decide(req: IncomingMessage, config: EchoConfig, httpPort: string): Promise<Reply> {
  const target = req.url ?? '/';
  const mark = target.indexOf('?');
  const path = mark < 0 ? target : target.slice(0, mark);
  const search = mark < 0 ? '' : target.slice(mark + 1);
  if (path === '/health') return reply(200, 'text/plain', 'OK');
  if (path.startsWith('/status/')) {
    const code = /^\/status\/(\d\d\d)$/.exec(target)?.[1];
    return reply(code === undefined ? 400 : Number(code), 'text/plain', '');
  }
  const delay = new URLSearchParams(search).get('delay');
  if (delay !== null) {
    const ms = parseDelay(delay);
    if (ms === undefined) return reply(500, 'application/json', { message: `bad delay ${delay}` });
    await new Promise((resolve) => setTimeout(resolve, ms));
  }
  const request = { method: req.method ?? 'GET', target, httpVersion: req.httpVersion };
  const body = describeRequest(
    { ...request, rawHeaders: req.rawHeaders },
    config.context,
    httpPort,
  );
  const answer = reply(200, 'application/json', body);
  answer.headers.push(...echoSetHeaders(body.headers['X-Echo-Set-Header'] ?? []));
  return answer;
}

function reply(status: number, type: string, body: string | object): Reply {
  const text = typeof body === 'string' ? body : JSON.stringify(body, null, 1);
  const headers: Array<[string, string]> = [['Content-Type', type]];
  if (type === 'application/json') headers.push(['X-Content-Type-Options', 'nosniff']);
  return { status, headers, body: text };
}

function send(res: ServerResponse, answer: Reply): void {
  for (const [name, value] of answer.headers) res.setHeader(name, value);
  res.setHeader('Content-Length', Buffer.byteLength(answer.body));
  res.writeHead(answer.status);
  res.end(answer.body);
}

function logRequest(log: EchoLog, req: IncomingMessage, status: number): void {
  log({
    msg: 'request',
    protocol: 'http',
    method: req.method,
    path: req.url,
    host: req.headers.host ?? '',
    proto: `HTTP/${req.httpVersion}`,
    status,
    remote: `${req.socket.remoteAddress ?? ''}:${req.socket.remotePort ?? ''}`,
  });
}
