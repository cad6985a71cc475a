/**
 * TCP and UDP through a Gateway with real sockets (`node:net`, `node:dgram`), as upstream's
 * `conformance/utils/tcp` and `udp` do against its echo server: send a probe, read who
 * answered. Portico's echo pods answer `<namespace>/<pod> <probe>` (see @portico/testing
 * `echoAnswer`) where upstream's answer JSON; the checks are the same: the namespace, the pod
 * name's backend prefix, and that the probe came back intact.
 */
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { waitFor } from '@portico/testing';

export type Transport = 'tcp' | 'udp';

/** Who answered a probe. */
export interface StreamAnswer {
  namespace: string;
  pod: string;
}

/** Reads `<namespace>/<pod> <probe>`; undefined when it is not that answer to `probe`. */
export function parseEchoAnswer(answer: string, probe: string): StreamAnswer | undefined {
  const match = /^([^/\s]+)\/(\S+) ([\s\S]*)$/.exec(answer);
  if (!match || match[3] !== probe) return undefined;
  return { namespace: match[1] ?? '', pod: match[2] ?? '' };
}

/** `host:port` (the host may be an IPv6 address) split at its last colon. */
export const splitAddress = (address: string): { host: string; port: number } => {
  const at = address.lastIndexOf(':');
  return { host: address.slice(0, at), port: Number(address.slice(at + 1)) };
};

/**
 * Reads from a connected (or connecting) stream socket until the answer ends with `probe`, as
 * the echo pods send it back, then closes it. A timeout, an error or a close before that
 * rejects with `label` and what came so far. The caller writes the probe once connected.
 */
export function readEcho(
  socket: Socket,
  probe: string,
  timeoutMs: number,
  label: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = '';
    const fail = (why: string): void => {
      socket.destroy();
      reject(new Error(`${label}${why}${answer ? ` (got ${JSON.stringify(answer)})` : ''}`));
    };
    socket.setTimeout(timeoutMs, () => fail('no answer in time'));
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString();
      if (answer.endsWith(probe)) {
        socket.destroy();
        resolve(answer);
      }
    });
    socket.on('error', (error) => fail(error.message));
    socket.on('close', () => fail('connection closed without an answer'));
  });
}

function tcpOnce(address: string, probe: string, timeoutMs: number): Promise<string> {
  const socket = connect(splitAddress(address), () => socket.write(probe));
  return readEcho(socket, probe, timeoutMs, `TCP ${address}: `);
}

function udpOnce(address: string, probe: string, timeoutMs: number): Promise<string> {
  const { host, port } = splitAddress(address);
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => done(new Error(`UDP ${address}: no answer in time`)), timeoutMs);
    const done = (error: Error | undefined, answer = ''): void => {
      clearTimeout(timer);
      socket.close();
      if (error) reject(error);
      else resolve(answer);
    };
    socket.on('message', (data) => done(undefined, data.toString()));
    socket.on('error', (error) => done(new Error(`UDP ${address}: ${error.message}`)));
    socket.send(probe, port, host);
  });
}

/** One probe on a fresh connection (TCP) or socket (UDP); who answered it. */
export async function sendStreamProbe(
  transport: Transport,
  address: string,
  timeoutMs = 2000,
): Promise<StreamAnswer> {
  const probe = `portico-conformance-${randomBytes(6).toString('hex')}\n`;
  const answer = await (transport === 'tcp' ? tcpOnce : udpOnce)(address, probe, timeoutMs);
  const parsed = parseEchoAnswer(answer, probe);
  if (!parsed)
    throw new Error(`${transport} ${address}: unexpected answer ${JSON.stringify(answer)}`);
  return parsed;
}

/** The backend a probe must reach: its namespace and the pod name prefix `<backend>-`. */
export interface StreamExpected {
  namespace: string;
  backend: string;
}

/** Why `answer` is not from `expected`, or undefined. */
export function compareStreamAnswer(
  expected: StreamExpected,
  answer: StreamAnswer,
): string | undefined {
  if (answer.namespace !== expected.namespace)
    return `answered from namespace ${answer.namespace}, want ${expected.namespace}`;
  if (!answer.pod.startsWith(`${expected.backend}-`))
    return `answered by pod ${answer.pod}, want one of ${expected.backend}`;
  return undefined;
}

/**
 * Upstream `MakeTCPRequestAndExpectEventuallyValidResponse` / `ExpectEchoResponseFromBackend`:
 * probes until `consecutive` answers in a row come from the expected backend.
 */
export async function expectStreamBackend(
  transport: Transport,
  address: string,
  expected: StreamExpected,
  options: { timeoutMs?: number; consecutive?: number } = {},
): Promise<void> {
  const consecutive = options.consecutive ?? 3;
  let inARow = 0;
  let last = 'no probe yet';
  try {
    await waitFor(
      async () => {
        const miss = await sendStreamProbe(transport, address).then(
          (answer) => compareStreamAnswer(expected, answer),
          (error: unknown) => (error instanceof Error ? error.message : String(error)),
        );
        inARow = miss === undefined ? inARow + 1 : 0;
        last = miss ?? last;
        return inARow >= consecutive;
      },
      {
        description: `${transport} to ${address}`,
        timeoutMs: options.timeoutMs ?? 30_000,
        intervalMs: 200,
      },
    );
  } catch {
    throw new Error(`${transport} to ${address} never reached ${expected.backend}: ${last}`);
  }
}

/** `count` probes in a row, every one answered by `expected` (none by another backend). */
export async function expectOnlyBackend(
  transport: Transport,
  address: string,
  expected: StreamExpected,
  count: number,
): Promise<void> {
  for (let i = 0; i < count; i++) {
    const miss = compareStreamAnswer(expected, await sendStreamProbe(transport, address));
    if (miss) throw new Error(`probe ${i + 1}/${count}: ${miss}`);
  }
}

/** Probes that must get no answer: the connection is refused, closed or left unanswered. */
export async function expectNoAnswer(transport: Transport, address: string): Promise<void> {
  const answer = await sendStreamProbe(transport, address, 1000).catch(() => undefined);
  if (answer)
    throw new Error(`${transport} ${address} answered by ${answer.namespace}/${answer.pod}`);
}
