/** UDP echo backend: answers each datagram with its identity and the datagram. */
import { createSocket } from 'node:dgram';
import { echoAnswer, type RunningStreamEcho, type StreamEchoIdentity } from './stream-identity.ts';

/** Starts a UDP echo on 127.0.0.1 (port 0: any free port). */
export async function startUdpEcho(
  identity: StreamEchoIdentity,
  port = 0,
): Promise<RunningStreamEcho> {
  const socket = createSocket('udp4');
  socket.on('message', (data, peer) => {
    socket.send(echoAnswer(identity, data), peer.port, peer.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, '127.0.0.1', () => resolve());
  });
  return {
    port: socket.address().port,
    identity,
    stop: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
