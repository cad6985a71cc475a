/**
 * TLSRoute end to end (issue 5), driven with the real kubectl: one Gateway port carries TLS
 * passthrough listeners (two TLSRoutes, each backend holding its own certificate), a TLS
 * Terminate listener (NGINX presents the listener's Secret, the backend gets plain bytes)
 * and an HTTPS listener, all told apart by SNI. Real `node:tls` clients verify every
 * certificate they are shown; an SNI that no listener serves is refused.
 */
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@portico/testing';
import { startSharedTlsPort, type SharedTlsPort } from './support/shared-tls-port.ts';

const NS = 'e2e-tlsroute';
let shared: SharedTlsPort | undefined;
const certPem = (host: string): string => shared?.certs[host]?.certPem ?? '';

/** What one TLS connection saw: the answer to `payload`, or why there was none. */
function exchange(
  servername: string,
  payload: string,
  ca: string,
): Promise<{ data: string; peer: string } | { error: string }> {
  return new Promise((resolve) => {
    const port = shared?.port ?? 0;
    const socket = connect({ host: '127.0.0.1', port, servername, ca, minVersion: 'TLSv1.2' });
    let data = '';
    let peer = '';
    const done = (): void => {
      socket.destroy();
      resolve({ data, peer });
    };
    socket.setTimeout(5000, () => {
      socket.destroy();
      resolve({ error: 'timeout' });
    });
    socket.on('secureConnect', () => {
      peer = String(socket.getPeerCertificate().subject?.CN ?? '');
      socket.write(payload);
    });
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString();
      if (data.endsWith(payload) || data.includes('\r\n\r\n')) done();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      socket.destroy();
      resolve({ error: error.code ?? error.message });
    });
    socket.on('close', done);
  });
}

beforeAll(async () => {
  shared = await startSharedTlsPort({
    namespace: NS,
    gateway: 'edge',
    passHostname: '*.pass.example',
    passthrough: [
      { hostname: 'a.pass.example', service: 'secure-a' },
      { hostname: 'b.pass.example', service: 'secure-b' },
    ],
  });
}, 120_000);

afterAll(async () => {
  await shared?.stop();
});

/** Retries `exchange` until it gives `want` (the data plane converges after Programmed). */
async function eventually(servername: string, payload: string, ca: string, want: object) {
  let last: unknown;
  await waitFor(
    async () => {
      last = await exchange(servername, payload, ca);
      try {
        expect(last).toMatchObject(want);
        return true;
      } catch {
        return false;
      }
    },
    { description: `${servername}: ${JSON.stringify(want)}`, timeoutMs: 30_000, intervalMs: 300 },
  ).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}; last: ${JSON.stringify(last)}`);
  });
}

describe('TLSRoute through the local stack: passthrough, terminate and HTTPS on one port', () => {
  it.each([
    ['a.pass.example', 'secure-a-1'],
    ['b.pass.example', 'secure-b-1'],
  ])('passes %s through to the backend that holds its certificate (%s)', async (sni, pod) => {
    await eventually(sni, 'hello', certPem(sni), {
      data: `${NS}/${pod} sni=${sni} hello`,
      peer: sni,
    });
  });

  it('terminates term.example with the listener Secret and forwards plain bytes', async () => {
    await eventually('term.example', 'hello', certPem('term.example'), {
      data: `${NS}/plain-1 hello`,
      peer: 'term.example',
    });
  });

  it('serves the HTTPS listener of the same port by SNI', async () => {
    const request = 'GET / HTTP/1.1\r\nHost: web.example\r\nConnection: close\r\n\r\n';
    await eventually('web.example', request, certPem('web.example'), {
      peer: 'web.example',
    });
    const answer = await exchange('web.example', request, certPem('web.example'));
    expect('data' in answer ? answer.data : answer.error).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('refuses an SNI that no listener serves', async () => {
    const answer = await exchange('nobody.example', 'hello', certPem('web.example'));
    expect(answer).not.toHaveProperty('data', expect.stringContaining('hello'));
    expect('error' in answer || answer.peer === '').toBe(true);
  });
});
