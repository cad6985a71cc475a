/**
 * Certificate files for rendered configurations in tests: what the renderer service writes
 * from Secrets, here from throwaway certificates made by openssl at test time.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CertificateFile, RenderSettings } from '@portico/nginx-render';
import { createTestCertificate, type TestCertificate } from '@portico/testing';

/** Writes `pick(file)` (default: one certificate for every file) under `confDir`, mode 0600. */
export async function writeCertificates(
  files: readonly CertificateFile[],
  settings: RenderSettings,
  pick?: (file: CertificateFile) => Promise<TestCertificate>,
): Promise<void> {
  let shared: TestCertificate | undefined;
  const choose = pick ?? (async () => (shared ??= await createTestCertificate(['portico.test'])));
  for (const file of files) {
    const { certPem, keyPem } = await choose(file);
    // A CA bundle (caSources) has no key file: its certificate is the trusted one.
    const pairs: [string, string][] = [[file.certificatePath, certPem]];
    if (file.caSources === undefined) pairs.push([file.keyPath, keyPem]);
    for (const [path, contents] of pairs) {
      const target = join(settings.paths.confDir, path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, contents, { mode: 0o600 });
    }
  }
}
