/**
 * The on-disk layout of the data plane's configuration, and the atomic swap. Each applied
 * version lives in its own directory `conf-<version>/`; `current` is a symlink to the live one.
 * NGINX is started with `-c <root>/current/nginx.conf`, and resolves relative includes against
 * `<root>/current/`, so replacing the symlink (a rename, which is atomic) switches every file at
 * once: NGINX never reads a half-written set. A candidate is checked with `nginx -t` in its own
 * directory before the swap (invariant 4).
 */
import { mkdir, readlink, rename, rm, symlink, writeFile, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface RenderedFile {
  path: string;
  contents: string;
  mode: number;
}

export interface ConfigDir {
  root: string;
  currentLink: string;
  currentConf: string;
}

export function configDir(root: string): ConfigDir {
  const currentLink = join(root, 'current');
  return { root, currentLink, currentConf: join(currentLink, 'nginx.conf') };
}

export function versionDir(dir: ConfigDir, version: string): string {
  return join(dir.root, `conf-${version}`);
}

/** Writes a complete file set into a fresh version directory; returns its nginx.conf path. */
export async function stageVersion(
  dir: ConfigDir,
  version: string,
  files: readonly RenderedFile[],
): Promise<string> {
  const target = versionDir(dir, version);
  const staging = `${target}.tmp-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  for (const file of files) {
    const path = join(staging, file.path);
    if (!path.startsWith(`${staging}/`))
      throw new Error(`rendered file escapes its directory: ${file.path}`);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.contents, { mode: file.mode });
  }
  await rm(target, { recursive: true, force: true });
  await rename(staging, target);
  return join(target, 'nginx.conf');
}

/** Points `current` at a version directory, atomically (symlink to a temp name, then rename). */
export async function activateVersion(dir: ConfigDir, version: string): Promise<void> {
  const temp = `${dir.currentLink}.next-${process.pid}`;
  await rm(temp, { force: true });
  await symlink(`conf-${version}`, temp);
  await rename(temp, dir.currentLink);
}

/** The version `current` points at, if any. */
export async function activeVersion(dir: ConfigDir): Promise<string | undefined> {
  try {
    const target = await readlink(dir.currentLink);
    return target.replace(/^conf-/, '');
  } catch {
    return undefined;
  }
}

/** Removes version directories other than the ones to keep (the live one and the last good). */
export async function pruneVersions(dir: ConfigDir, keep: readonly string[]): Promise<void> {
  const keepNames = new Set(keep.map((version) => `conf-${version}`));
  for (const entry of await readdir(dir.root)) {
    if (entry.startsWith('conf-') && !keepNames.has(entry)) {
      await rm(join(dir.root, entry), { recursive: true, force: true });
    }
  }
}
