/**
 * The directory of NGINX's internal unix sockets (TLS terminators, HTTPS servers behind a TLS
 * port; see @portico/nginx-render stream-tls.ts). Kept apart from the data directory for two
 * reasons: a socket path must fit 107 bytes, and NGINX workers (an unprivileged user when the
 * master runs as root) must be able to reach it, which a private data directory may forbid.
 */
import { createHash } from 'node:crypto';
import { chmod, mkdir, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One directory per data directory: `<tmp>/portico-sockets/<8 hex digits>`. */
export function socketDirFor(dataDir: string, base = tmpdir()): string {
  const id = createHash('sha256').update(dataDir).digest('hex').slice(0, 8);
  return join(base, 'portico-sockets', id);
}

/**
 * Creates the directory (and its parent) traversable by every user, and removes sockets a
 * killed NGINX left behind: NGINX refuses to start, or to reload, when a socket path it must
 * bind already exists. Call it before NGINX starts; only this data plane uses the directory.
 */
export async function prepareSocketDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const path of [join(dir, '..'), dir]) await chmod(path, 0o755);
  const stale = (await readdir(dir)).filter((name) => name.endsWith('.sock'));
  await Promise.all(stale.map((name) => rm(join(dir, name), { force: true })));
}
