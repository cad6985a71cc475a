/**
 * TLS echo backend: terminates TLS with the given certificate (the backend of a passthrough
 * listener holds its own) and answers each chunk with its identity, the SNI it was asked
 * for, and the chunk.
 */
import type { Socket } from 'node:net';
import { createServer, type TLSSocket } from 'node:tls';
import { echoAnswer, type RunningStreamEcho, type StreamEchoIdentity } from './stream-identity.ts';
import { listen } from './tcp.ts';

/** Starts a TLS echo on 127.0.0.1; `cert` and `key` are PEM. */
export async function startTlsEcho(
  identity: StreamEchoIdentity,
  credentials: { cert: string; key: string },
  port = 0,
): Promise<RunningStreamEcho> {
  const sockets = new Set<Socket>();
  const server = createServer(credentials, (socket: TLSSocket) => {
    sockets.add(socket);
    const sni = typeof socket.servername === 'string' ? socket.servername : '';
    socket.on('data', (data) =>
      socket.write(echoAnswer(identity, Buffer.concat([Buffer.from(`sni=${sni} `), data]))),
    );
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  });
  return listen(server, port, identity, sockets);
}
