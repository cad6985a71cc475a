/**
 * The HTTP/1.1 echo listener: every request is answered with the conformance echo JSON,
 * except `/health` (200 OK) and `/status/NNN` (that status); `?delay=1s` waits first and
 * `X-Echo-Set-Header` sets response headers, like the conformance echo server; `/retry/...`
 * is its flaky-backend simulation (retry.ts) and `/ws` its WebSocket echo (websocket.ts). The
 * request is logged before the answer is written.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { EchoConfig } from './config.ts';
import type { EchoListener, EchoLog } from './listener.ts';
import { describeRequest, echoSetHeaders, parseDelay } from './request-info.ts';
import { RetrySimulation } from './retry.ts';
import { serveWebSocket } from './websocket.ts';

/** An answer, decided before anything is written. */
interface Reply {
  status: number;
  headers: Array<[string, string]>;
  body: string;
  /** Reset the connection instead of answering (the retry simulation's default failure). */
  reset?: true;
}

/** Starts the HTTP/1.1 listener on 127.0.0.1 and resolves once it is bound. */
export function startHttpListener(config: EchoConfig, log: EchoLog): Promise<EchoListener> {
  let port = config.httpPort;
  const retries = new RetrySimulation();
  const upgraded = new Set<Duplex>();
  const server = createServer((req, res) => {
    req.resume();
    decide(req, config, String(port), retries)
      .catch((error: unknown) => reply(500, 'application/json', { message: String(error) }))
      .then((answer) => {
        logRequest(log, req, answer.status);
        if (answer.reset) req.socket.resetAndDestroy();
        else send(res, answer);
      });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    logRequest(log, req, 101);
    if ((req.url ?? '').split('?')[0] !== '/ws') {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    upgraded.add(socket);
    socket.on('close', () => upgraded.delete(socket));
    serveWebSocket(req, socket, head);
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
            for (const socket of upgraded) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

async function decide(
  req: IncomingMessage,
  config: EchoConfig,
  httpPort: string,
  retries: RetrySimulation,
): Promise<Reply> {
  const target = req.url ?? '/';
  const mark = target.indexOf('?');
  const path = mark < 0 ? target : target.slice(0, mark);
  const search = mark < 0 ? '' : target.slice(mark + 1);
  if (path === '/health') return reply(200, 'text/plain', 'OK');
  if (path.startsWith('/status/')) {
    const code = /^\/status\/(\d\d\d)$/.exec(target)?.[1];
    return reply(code === undefined ? 400 : Number(code), 'text/plain', '');
  }
  if (path.startsWith('/retry/')) {
    const retry = retries.decide(search);
    if (retry.kind === 'bad') return reply(400, 'text/plain', retry.message);
    if (retry.kind === 'fail') {
      await new Promise((resolve) => setTimeout(resolve, retry.delayMs));
      if (retry.status !== undefined) return reply(retry.status, 'text/plain', '');
      return { ...reply(0, 'text/plain', ''), reset: true };
    }
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
