/**
 * Temporary directories for test processes, one per process, removed when it stops, or at
 * the latest when the test runner exits or is signalled.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onLastResort } from './process/children.ts';

const unregister = new Map<string, () => void>();

/** Creates a fresh directory under the system temp dir, named `portico-<prefix>-XXXXXX`. */
export async function makeTempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `portico-${prefix}-`));
  unregister.set(
    dir,
    onLastResort(() => rmSync(dir, { recursive: true, force: true })),
  );
  return dir;
}

/** Removes a directory made by {@link makeTempDir}; a missing directory is fine. */
export async function removeTempDir(dir: string): Promise<void> {
  unregister.get(dir)?.();
  unregister.delete(dir);
  await rm(dir, { recursive: true, force: true });
}
