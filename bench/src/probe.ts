/**
 * Polling through NGINX, the way a user would see a change: a fresh connection per request
 * (no keep-alive: a kept connection would stay with an old worker), `Host` set to the route's
 * hostname, in a tight loop.
 */
import { connect } from 'node:net';

/**
 * Pause between attempts: 5 ms resolves well under the 500 ms target, and leaves the CPU to the
 * stack (at 2 ms the poller alone took a tenth of a core of a 2-core machine).
 */
const POLL_INTERVAL_MS = 5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One `GET /` on a fresh connection; resolves with the status code, 0 on any failure. Raw
 * HTTP/1.1 on a socket rather than `node:http`: the poller shares the machine with the stack
 * it measures, and the status line is all it needs.
 */
function statusOf(port: number, host: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let head = '';
    const done = (status: number) => {
      socket.destroy();
      resolve(status);
    };
    socket.setTimeout(2_000, () => done(0));
    socket.on('error', () => done(0));
    socket.on('connect', () =>
      socket.write(`GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
    );
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1');
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      if (match) done(Number(match[1]));
      else if (head.includes('\r\n') || head.length > 64) done(0);
    });
    socket.on('end', () => done(0));
  });
}

/** Polls until `host` answers `status`; resolves at that moment, throws after `timeoutMs`. */
export async function waitForStatus(
  port: number,
  host: string,
  status: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let last = 0;
  while (performance.now() < deadline) {
    last = await statusOf(port, host);
    if (last === status) return;
    await sleep(POLL_INTERVAL_MS);
  }
  throw new Error(`${host} did not answer ${status} within ${timeoutMs} ms (last: ${last})`);
}

/**
 * Polls until every host answers `status`. While the first pending host does not answer, only
 * it is polled (nothing new is served yet); once it does, one pass over the rest, `lanes` at a
 * time, keeps the ones still pending for the next round.
 */
export async function waitForAll(
  port: number,
  hosts: readonly string[],
  status: number,
  timeoutMs: number,
  lanes = 8,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let pending = [...hosts];
  while (pending.length > 0) {
    if (performance.now() > deadline)
      throw new Error(`${pending.length} of ${hosts.length} hosts not at ${status} in time`);
    if ((await statusOf(port, pending[0] as string)) !== status) {
      await sleep(POLL_INTERVAL_MS);
      continue;
    }
    const rest = pending.slice(1);
    const stillPending: string[] = [];
    let index = 0;
    await Promise.all(
      Array.from({ length: lanes }, async () => {
        while (index < rest.length) {
          const host = rest[index++] as string;
          if ((await statusOf(port, host)) !== status) stillPending.push(host);
        }
      }),
    );
    pending = stillPending.sort();
  }
}
