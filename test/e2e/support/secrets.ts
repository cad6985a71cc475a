/** TLS Secrets made the way a user makes them: PEM files and `kubectl create secret tls`. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestCertificate } from '@portico/testing';
import type { E2EStack } from './stack.ts';

/**
 * Creates the TLS Secret `namespace/name` from `cert`, replacing one of that name (a rotation
 * as users do it), through PEM files in the stack's state directory.
 */
export async function putTlsSecret(
  e2e: E2EStack,
  namespace: string,
  name: string,
  cert: TestCertificate,
): Promise<void> {
  const crt = join(e2e.stateDir, `${name}.crt`);
  const key = join(e2e.stateDir, `${name}.key`);
  await writeFile(crt, cert.certPem);
  await writeFile(key, cert.keyPem);
  const kubectl = (...args: string[]) => e2e.stack.kubectl(['-n', namespace, ...args]);
  await kubectl('delete', 'secret', name, '--ignore-not-found');
  await kubectl('create', 'secret', 'tls', name, `--cert=${crt}`, `--key=${key}`);
}
