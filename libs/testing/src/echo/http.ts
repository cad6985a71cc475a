/**
 * The HTTP/1.1 echo listener: every request is answered with the conformance echo JSON,
 * except `/health` (200 OK) and `/status/NNN` (that status); `?delay=1s` waits first and
 * `X-Echo-Set-Header` sets response headers, like the conformance echo server.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EchoConfig } from './config.ts';
import type { EchoListener, EchoLog } from './listener.ts';
import { describeRequest, echoSetHeaders, parseDelay } from './request-info.ts';

/** Starts the HTTP/1.1 listener on 127.0.0.1 and resolves once it is bound. */
export function startHttpListener(config: EchoConfig, log: EchoLog): Promise<EchoListener> {
  let port = config.httpPort;
  const server = createServer((req, res) => {
    req.resume();
    handle(req, res, config, String(port))
      .then((status) => logRequest(log, req, status))
      .catch((error: unknown) => {
        log({ msg: 'error', protocol: 'http', error: String(error) });
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
  });
  server.keepAliveTimeout = 5000;
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

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  config: EchoConfig,
  httpPort: string,
): Promise<number> {
  const target = req.url ?? '/';
  const path = target.split('?')[0] ?? '/';
  if (path === '/health') return send(res, 200, 'text/plain', 'OK');
  if (path.startsWith('/status/')) {
    const match = /^\/status\/(\d\d\d)$/.exec(target);
    return send(res, match?.[1] === undefined ? 400 : Number(match[1]), 'text/plain', '');
  }
  const delay = new URLSearchParams(target.split('?')[1] ?? '').get('delay');
  if (delay !== null) {
    const ms = parseDelay(delay);
    if (ms === undefined) {
      return send(
        res,
        500,
        'application/json',
        JSON.stringify({ message: `invalid delay ${delay}` }),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, ms));
  }
  const request = {
    method: req.method ?? 'GET',
    target,
    httpVersion: req.httpVersion,
    rawHeaders: req.rawHeaders,
  };
  const body = describeRequest(request, config.context, httpPort);
  for (const [name, value] of echoSetHeaders(body.headers['X-Echo-Set-Header'] ?? [])) {
    res.setHeader(name, value);
  }
  res.setHeader('X-Content-Type-Options', 'nosniff');
  return send(res, 200, 'application/json', JSON.stringify(body, null, 1));
}

function send(res: ServerResponse, status: number, type: string, body: string): number {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
  return status;
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
