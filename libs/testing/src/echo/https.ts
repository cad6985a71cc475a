/**
 * HTTPS echo backend, in process: answers every request with the conformance echo JSON (like
 * the HTTP echo) plus what the TLS handshake carried: the SNI the client asked for and, when
 * client certificates are required, the subject of the one presented. It stands in for the
 * upstream suite's TLS backends (BackendTLSPolicy, backend client certificates).
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { describeRequest, type EchoContext, type EchoResponse } from './request-info.ts';

export interface StartHttpsEchoOptions {
  context: EchoContext;
  /** PEM certificate and key the backend serves. */
  cert: string;
  key: string;
  /** PEM CA bundle: when set, a client certificate signed by it is required. */
  clientCa?: string;
}

/** The echo JSON with the handshake's facts. */
export interface HttpsEchoResponse extends EchoResponse {
  tls: { serverName: string; clientCertificateSubject?: string };
}

export interface RunningHttpsEcho {
  port: number;
  /** Handshake facts of the requests answered so far, oldest first. */
  requests(): HttpsEchoResponse[];
  stop(): Promise<void>;
}

/** Starts the HTTPS echo on 127.0.0.1 and resolves once it listens. */
export async function startHttpsEcho(options: StartHttpsEchoOptions): Promise<RunningHttpsEcho> {
  const seen: HttpsEchoResponse[] = [];
  let port = 0;
  const server: Server = createServer(
    {
      cert: options.cert,
      key: options.key,
      ...(options.clientCa === undefined
        ? {}
        : { ca: options.clientCa, requestCert: true, rejectUnauthorized: true }),
    },
    (req, res) => {
      req.resume();
      const socket = req.socket as TLSSocket;
      const request = {
        method: req.method ?? 'GET',
        target: req.url ?? '/',
        httpVersion: req.httpVersion,
      };
      const body: HttpsEchoResponse = {
        ...describeRequest(
          { ...request, rawHeaders: req.rawHeaders },
          options.context,
          String(port),
        ),
        tls: handshake(socket),
      };
      seen.push(body);
      const text = JSON.stringify(body, null, 1);
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(text),
      });
      res.end(text);
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    requests: () => [...seen],
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function handshake(socket: TLSSocket): HttpsEchoResponse['tls'] {
  const serverName = typeof socket.servername === 'string' ? socket.servername : '';
  const peer = socket.getPeerCertificate();
  const subject = peer.subject === undefined ? undefined : `CN=${String(peer.subject.CN ?? '')}`;
  return subject === undefined ? { serverName } : { serverName, clientCertificateSubject: subject };
}
