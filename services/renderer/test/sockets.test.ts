import { stat, writeFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir } from '@portico/testing';
import { prepareSocketDir, socketDirFor } from '../src/sockets.ts';

describe('socket directory', () => {
  let base = '';
  afterEach(async () => {
    if (base !== '') await removeTempDir(base);
  });

  it.each([
    ['a long data directory', `/var/lib/${'x'.repeat(200)}/nginx`],
    ['the production data directory', '/var/lib/portico/nginx'],
  ])('is short for %s, and stable', (_name, dataDir) => {
    const dir = socketDirFor(dataDir, '/tmp');
    expect(dir).toMatch(/^\/tmp\/portico-sockets\/[0-9a-f]{8}$/);
    expect(socketDirFor(dataDir, '/tmp')).toBe(dir);
    expect(socketDirFor(`${dataDir}2`, '/tmp')).not.toBe(dir);
  });

  it('is traversable by every user and loses stale sockets, nothing else', async () => {
    base = await makeTempDir('sockets-test');
    const dir = socketDirFor('/data/plane', base);
    await prepareSocketDir(dir);
    await writeFile(join(dir, 'https_443.sock'), '');
    await writeFile(join(dir, 'notes.txt'), 'kept');
    await prepareSocketDir(dir);
    expect(await readdir(dir)).toEqual(['notes.txt']);
    for (const path of [dir, join(dir, '..')]) expect((await stat(path)).mode & 0o777).toBe(0o755);
  });
});
