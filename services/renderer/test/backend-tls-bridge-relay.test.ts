/**
 * The bridge's relay on its own (no NGINX): a real TLS server stands in for the backend, a
 * plain client for NGINX. Everything the backend writes before it ends reaches the client (a
 * clean close must not cut buffered bytes), the backend sees the policy hostname as SNI, and a
 * certificate without a listed SAN closes the client's connection with nothing relayed.
 */
import { writeFile } from 'node:fs/promises';
import { connect as connectUnix } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubjectAltNameIR } from '@portico/ir';
import type { BackendTlsBridge } from '@portico/nginx-render';
import { createLogger } from '@portico/telemetry';
import { createTestCertificate, makeTempDir, removeTempDir } from '@portico/testing';
import { BackendTlsBridges } from '../src/backend-tls-bridge.ts';

const HOST = 'abc.example.com';
const IDENTITY = 'spiffe://abc.example.com/test-identity';
/** Larger than every socket buffer on the way, so bytes are still queued when the backend ends. */
const BODY_BYTES = 8 * 1024 * 1024;

let dir: string;
let backend: Server;
let port: number;
const sniSeen: string[] = [];
const bridges = new BackendTlsBridges(createLogger('relay-test', { level: 'silent' }), {
  retireAfterMs: 0,
});

function plan(name: string, sans: SubjectAltNameIR[]): BackendTlsBridge {
  return {
    socket: join(dir, `${name}.sock`),
    address: '127.0.0.1',
    port,
    serverName: HOST,
    subjectAltNames: sans,
    trustedCertificatePath: 'ca.pem',
    policy: `infra/${name}`,
  };
}

/** Connects to a bridge socket, sends `hello`, and reads until the bridge closes. */
function exchange(socket: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    const client = connectUnix(socket, () => client.write('hello'));
    client.on('data', (chunk: Buffer) => (bytes += chunk.length));
    client.on('error', reject);
    client.on('close', () => resolve(bytes));
  });
}

beforeAll(async () => {
  dir = await makeTempDir('bridge-relay');
  const certificate = await createTestCertificate([HOST], { uris: [IDENTITY] });
  await writeFile(join(dir, 'ca.pem'), certificate.certPem);
  backend = createServer({ cert: certificate.certPem, key: certificate.keyPem }, (socket) => {
    sniSeen.push(String(socket.servername));
    socket.once('data', () => socket.end(Buffer.alloc(BODY_BYTES, 'x')));
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  port = (backend.address() as AddressInfo).port;
}, 30_000);

afterAll(async () => {
  await bridges.close();
  await new Promise((resolve) => backend?.close(resolve));
  await removeTempDir(dir);
});

describe('backend TLS bridge relay', () => {
  it('relays every byte the backend wrote before it closed, with the policy SNI', async () => {
    const bridge = plan('match', [{ type: 'URI', uri: IDENTITY }]);
    await bridges.prepare([bridge], dir);
    expect(await exchange(bridge.socket)).toBe(BODY_BYTES);
    expect(sniSeen).toEqual([HOST]);
  });

  it('closes the client without relaying anything when no SAN matches', async () => {
    const bridge = plan('mismatch', [{ type: 'Hostname', hostname: 'def.example.com' }]);
    await bridges.prepare([bridge], dir);
    expect(await exchange(bridge.socket)).toBe(0);
  });
});
