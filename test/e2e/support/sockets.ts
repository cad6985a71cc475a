/**
 * How a TCP connection attempt ends, in one word: what a user sees when a Gateway has nothing
 * to send a TCP connection to. `conformance/src/stream-expect.ts` `expectNoAnswer` accepts any
 * failure, a connection left hanging included; the end-to-end test wants it refused or closed.
 */
import { connect } from 'node:net';

/** `refused` (RST on connect), `closed` (accepted, then closed), `answered`, or `hanging`. */
export type TcpOutcome = 'refused' | 'closed' | 'answered' | 'hanging';

/** Connects to `host:port`, writes `probe`, and reports how the attempt ended. */
export function tcpOutcome(
  address: string,
  probe = 'ping\n',
  timeoutMs = 2000,
): Promise<TcpOutcome> {
  const at = address.lastIndexOf(':');
  const [host, port] = [address.slice(0, at), Number(address.slice(at + 1))];
  return new Promise((resolve) => {
    let outcome: TcpOutcome | undefined;
    const socket = connect({ host, port });
    const end = (value: TcpOutcome): void => {
      outcome ??= value;
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(timeoutMs, () => end('hanging'));
    socket.on('connect', () => socket.write(probe));
    socket.on('data', () => end('answered'));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      end(error.code === 'ECONNREFUSED' ? 'refused' : 'closed'),
    );
    socket.on('close', () => end('closed'));
  });
}
