import { readFile, readdir, readlink, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir } from '@portico/testing';
import {
  activateVersion,
  activeVersion,
  configDir,
  pruneVersions,
  stageVersion,
  versionDir,
  type ConfigDir,
  type RenderedFile,
} from '../src/config-dir.ts';

let root: string;
let dir: ConfigDir;
beforeEach(async () => {
  root = await makeTempDir('renderer-config-dir');
  dir = configDir(root);
});
afterEach(() => removeTempDir(root));

/** A complete file set of `version`: nginx.conf plus `count` gateway files naming it. */
function files(version: string, count = 3): RenderedFile[] {
  return [
    { path: 'nginx.conf', contents: `# ${version}\n`, mode: 0o644 },
    ...Array.from({ length: count }, (_, i) => ({
      path: `gateways/gw-${i}.conf`,
      contents: `# ${version} ${i}\n`,
      mode: 0o644,
    })),
    { path: 'secrets/key.pem', contents: 'key', mode: 0o600 },
  ];
}

const entries = async () => (await readdir(root)).sort();

describe('config-dir', () => {
  it('stages a complete version directory with file modes, leaving no temp dir', async () => {
    const conf = await stageVersion(dir, 'v1', files('v1'));
    expect(conf).toBe(join(versionDir(dir, 'v1'), 'nginx.conf'));
    expect(await readFile(conf, 'utf8')).toBe('# v1\n');
    expect(await readFile(join(versionDir(dir, 'v1'), 'gateways/gw-2.conf'), 'utf8')).toBe(
      '# v1 2\n',
    );
    expect((await stat(join(versionDir(dir, 'v1'), 'secrets/key.pem'))).mode & 0o777).toBe(0o600);
    expect(await entries()).toEqual(['conf-v1']);
  });

  it('refuses a file that would escape its directory', async () => {
    await expect(
      stageVersion(dir, 'v1', [{ path: '../evil.conf', contents: '', mode: 0o644 }]),
    ).rejects.toThrow(/escapes/);
    expect(await entries()).not.toContain('evil.conf');
  });

  it('activates versions through the current link and reports the active one', async () => {
    expect(await activeVersion(dir)).toBeUndefined();
    await stageVersion(dir, 'v1', files('v1'));
    await stageVersion(dir, 'v2', files('v2'));
    await activateVersion(dir, 'v1');
    expect(await activeVersion(dir)).toBe('v1');
    expect(await readFile(dir.currentConf, 'utf8')).toBe('# v1\n');
    await activateVersion(dir, 'v2');
    expect(await activeVersion(dir)).toBe('v2');
    expect(await readlink(dir.currentLink)).toBe('conf-v2');
    expect(await readFile(dir.currentConf, 'utf8')).toBe('# v2\n');
    expect(await entries()).toEqual(['conf-v1', 'conf-v2', 'current']);
  });

  it('prunes every version directory but the ones to keep', async () => {
    for (const v of ['v1', 'v2', 'v3']) await stageVersion(dir, v, files(v));
    await activateVersion(dir, 'v3');
    await pruneVersions(dir, ['v3', 'v1']);
    expect(await entries()).toEqual(['conf-v1', 'conf-v3', 'current']);
  });

  it('keeps current pointing at a complete directory while versions are staged and swapped', async () => {
    const count = 10;
    await stageVersion(dir, 'v0', files('v0', count));
    await activateVersion(dir, 'v0');
    let writing = true;
    const problems: string[] = [];
    let checks = 0;
    const reader = (async () => {
      while (writing) {
        try {
          const target = await readlink(dir.currentLink);
          const version = target.replace(/^conf-/, '');
          const present = await readdir(join(root, target, 'gateways'));
          if (present.length !== count) problems.push(`${target}: ${present.length} files`);
          const conf = await readFile(dir.currentConf, 'utf8');
          if (!/^# v\d+\n$/.test(conf)) problems.push(`nginx.conf of ${version}: ${conf}`);
        } catch (error) {
          problems.push((error as Error).message);
        }
        checks++;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    for (let i = 1; i <= 15; i++) {
      await stageVersion(dir, `v${i}`, files(`v${i}`, count));
      await activateVersion(dir, `v${i}`);
      // Keep a few old ones: a reader that just followed the link may still be looking.
      await pruneVersions(dir, [`v${i}`, `v${i - 1}`, `v${i - 2}`, `v${i - 3}`]);
    }
    writing = false;
    await reader;
    expect(checks).toBeGreaterThan(15);
    expect(problems).toEqual([]);
    expect(await activeVersion(dir)).toBe('v15');
  });
});
