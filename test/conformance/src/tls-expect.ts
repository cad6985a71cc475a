/**
 * TLS through a Gateway with `node:tls`, as upstream's `conformance/utils/tls` and `tcp` do:
 * a TLS connection with an SNI, verified against the suite's CA, then a probe (TLSRoute
 * streams) or an HTTP request (HTTPS echo backends behind a passthrough listener); and the
 * negative check, a connection whose handshake the Gateway ends (EOF or reset).
 */
import { randomBytes } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import { connect, type ConnectionOptions } from 'node:tls';
import { waitFor } from '@portico/testing';
import { readEcho, splitAddress } from './stream-expect.ts';
import type { HttpsEchoAnswer } from './tls-backends.ts';

/** Who a stream probe reached, as upstream's `tcp.ExpectedResponse`. */
export interface ExpectedStream {
  /** The Deployment: the answering pod's name starts with `<backend>-`. */
  backend: string;
  namespace: string;
  /** Passthrough: the backend itself ended TLS and saw this SNI; terminate: plain bytes. */
  backendSni?: string;
}

export interface TlsTarget {
  /** `host:port` of the Gateway listener. */
  address: string;
  servername: string;
  /** PEM the server certificate must chain to. */
  ca: string;
}

function tlsOptions(target: TlsTarget): ConnectionOptions {
  const { host, port } = splitAddress(target.address);
  return { host, port, servername: target.servername, ca: target.ca, minVersion: 'TLSv1.2' };
}

/** One verified TLS connection that sends `probe` and reads until it comes back. */
function probeOnce(target: TlsTarget, probe: string, timeoutMs: number): Promise<string> {
  const socket = connect(tlsOptions(target), () => socket.write(probe));
  return readEcho(socket, probe, timeoutMs, '');
}

/** Why an echo answer is not the expected one; undefined when it is. */
export function streamMismatch(
  answer: string,
  probe: string,
  expected: ExpectedStream,
): string | undefined {
  const match = /^([^/\s]+)\/(\S+) (?:sni=(\S*) )?([\s\S]*)$/.exec(answer);
  if (!match || match[4] !== probe) return `not an echo of the probe: ${JSON.stringify(answer)}`;
  const [, namespace, pod, sni] = match;
  if (namespace !== expected.namespace) return `namespace ${namespace}, want ${expected.namespace}`;
  if (!pod?.startsWith(`${expected.backend}-`))
    return `pod ${pod}, want one of ${expected.backend}`;
  if (expected.backendSni === undefined && sni !== undefined)
    return `the backend ended TLS itself (SNI ${sni}), want plain bytes`;
  if (expected.backendSni !== undefined && sni !== expected.backendSni)
    return `the backend saw SNI ${sni ?? '(no TLS)'}, want ${expected.backendSni}`;
  return undefined;
}

/**
 * Upstream `MakeTCPRequestAndExpectEventuallyValidResponse` with TLS: retries until one
 * probe reaches the expected backend the expected way.
 */
export async function streamEventually(
  target: TlsTarget,
  expected: ExpectedStream,
  timeoutMs: number,
): Promise<void> {
  let last = '';
  await waitFor(
    async () => {
      const probe = `probe-${randomBytes(6).toString('hex')}`;
      try {
        last = streamMismatch(await probeOnce(target, probe, 3000), probe, expected) ?? '';
      } catch (error) {
        last = (error as Error).message;
      }
      return last === '';
    },
    {
      description: `TLS ${target.servername} via ${target.address} to reach ${expected.namespace}/${expected.backend} (last: ${last})`,
      timeoutMs,
      intervalMs: 500,
    },
  ).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}; last attempt: ${last}`);
  });
}

function httpsOnce(target: TlsTarget, host: string, path: string): Promise<HttpsEchoAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      { ...tlsOptions(target), path, headers: { host }, agent: false, timeout: 3000 },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
          else {
            try {
              resolve(JSON.parse(body) as HttpsEchoAnswer);
            } catch {
              reject(new Error(`not an echo answer: ${body.slice(0, 200)}`));
            }
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer in time')));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Upstream `MakeTLSRequestAndExpectEventuallyConsistentResponse`: an HTTPS request through a
 * passthrough listener answered by `backend` in `namespace`, `consecutive` times in a row.
 */
export async function httpsConsistently(
  target: TlsTarget,
  request: { host: string; path: string },
  expected: { backend: string; namespace: string },
  options: { timeoutMs: number; consecutive: number },
): Promise<void> {
  let streak = 0;
  let last = '';
  await waitFor(
    async () => {
      try {
        const answer = await httpsOnce(target, request.host, request.path);
        const ok =
          answer.namespace === expected.namespace &&
          answer.pod.startsWith(`${expected.backend}-`) &&
          answer.path === request.path;
        last = ok ? '' : `answered by ${answer.namespace}/${answer.pod} for ${answer.path}`;
      } catch (error) {
        last = (error as Error).message;
      }
      streak = last === '' ? streak + 1 : 0;
      return streak >= options.consecutive;
    },
    {
      description: `HTTPS ${target.servername} via ${target.address} to be answered by ${expected.namespace}/${expected.backend}`,
      timeoutMs: options.timeoutMs,
      intervalMs: 300,
    },
  ).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}; last attempt: ${last}`);
  });
}

/** How one handshake ended: `rejected` (EOF or reset by the Gateway), or something else. */
function handshakeOnce(address: string, servername: string): Promise<string> {
  const { host, port } = splitAddress(address);
  return new Promise((resolve) => {
    const socket = connect({ host, port, servername, minVersion: 'TLSv1.2' });
    const done = (outcome: string): void => {
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(3000, () => done('no answer in time'));
    socket.on('secureConnect', () => done('handshake completed'));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const eof = /disconnected before secure TLS connection|socket hang up/.test(error.message);
      done(error.code === 'ECONNRESET' || eof ? 'rejected' : `error: ${error.message}`);
    });
    socket.on('close', () => done('rejected'));
  });
}

/** Upstream `MakeTLSConnectionAndExpectEventuallyConnectionRejection`. */
export async function rejectedEventually(
  address: string,
  servername: string,
  timeoutMs: number,
): Promise<void> {
  let last = '';
  await waitFor(
    async () => {
      last = await handshakeOnce(address, servername);
      return last === 'rejected';
    },
    { description: `TLS ${servername} via ${address} to be rejected`, timeoutMs, intervalMs: 500 },
  ).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}; last attempt: ${last}`);
  });
}
