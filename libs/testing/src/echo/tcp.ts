/** TCP echo backend: answers each chunk with its identity and the chunk (see `echoAnswer`). */
import { createServer, type Server, type Socket } from 'node:net';
import { echoAnswer, type RunningStreamEcho, type StreamEchoIdentity } from './stream-identity.ts';

/** Starts a TCP echo on 127.0.0.1 (port 0: any free port). */
export async function startTcpEcho(
  identity: StreamEchoIdentity,
  port = 0,
): Promise<RunningStreamEcho> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (data) => socket.write(echoAnswer(identity, data)));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  });
  return listen(server, port, identity, sockets);
}

/** Binds `server` and wraps it; `stop` closes open connections too. */
export async function listen(
  server: Server,
  port: number,
  identity: StreamEchoIdentity,
  sockets: Set<{ destroy(): void }>,
): Promise<RunningStreamEcho> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('echo: no TCP address');
  return {
    port: address.port,
    identity,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
