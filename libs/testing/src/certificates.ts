/**
 * Throwaway TLS certificates for tests, made by the real `openssl` at test time so no private
 * key is ever committed. Self-signed, ECDSA P-256 (fast), valid for a day, with the given DNS
 * names as subjectAltName (the first is also the CN), and URI SANs when asked (SPIFFE IDs for
 * BackendTLSPolicy subjectAltNames).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runToCompletion } from './process/children.ts';
import { makeTempDir, removeTempDir } from './tmp.ts';

export interface TestCertificate {
  /** PEM of the certificate; also its own CA for clients (`ca` in `tls.connect`). */
  certPem: string;
  keyPem: string;
}

/** Extra subject alternative names of a test certificate. */
export interface TestCertificateOptions {
  /** URI SANs (e.g. `spiffe://abc.example.com/test-identity`), after the DNS names. */
  uris?: readonly string[];
}

/** A self-signed certificate for `hosts` (DNS names, wildcards allowed) and `options.uris`. */
export async function createTestCertificate(
  hosts: readonly string[],
  options: TestCertificateOptions = {},
): Promise<TestCertificate> {
  const [first] = hosts;
  if (first === undefined) throw new Error('createTestCertificate needs at least one host');
  const dir = await makeTempDir('test-cert');
  try {
    const cert = join(dir, 'tls.crt');
    const key = join(dir, 'tls.key');
    const san = [
      ...hosts.map((h) => `DNS:${h}`),
      ...(options.uris ?? []).map((u) => `URI:${u}`),
    ].join(',');
    const args = [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      `/CN=${first}`,
      '-addext',
      `subjectAltName=${san}`,
      '-keyout',
      key,
      '-out',
      cert,
    ];
    const run = await runToCompletion('openssl', args, { name: 'openssl req' });
    if (run.code !== 0) throw new Error(`openssl failed: ${run.output}`);
    return { certPem: await readFile(cert, 'utf8'), keyPem: await readFile(key, 'utf8') };
  } finally {
    await removeTempDir(dir);
  }
}
