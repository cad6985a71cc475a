import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorLogMark, errorsSince, severeLines } from '../src/error-log.ts';

const BIND =
  '2026/11/27 02:51:36 [emerg] 3861#3861: bind() to 0.0.0.0:18082 failed (98: Address already in use)';
const NOTICE = '2026/11/27 02:51:36 [notice] 3861#3861: signal process started';

describe('severeLines', () => {
  it.each([
    [
      'an emerg line, without timestamp and pid',
      BIND,
      ['[emerg] bind() to 0.0.0.0:18082 failed (98: Address already in use)'],
    ],
    ['nothing from notice and warn lines', `${NOTICE}\n2026/11/27 02:51:36 [warn] 1#1: x`, []],
    [
      'each message once, in order',
      `${BIND}\n${NOTICE}\n${BIND}\n2026/11/27 02:51:37 [alert] 1#1: y`,
      ['[emerg] bind() to 0.0.0.0:18082 failed (98: Address already in use)', '[alert] y'],
    ],
    [
      'at most five',
      Array.from({ length: 8 }, (_, i) => `t [crit] 1#1: e${i}`).join('\n'),
      ['[crit] e0', '[crit] e1', '[crit] e2', '[crit] e3', '[crit] e4'],
    ],
    ['nothing from an empty excerpt', '', []],
  ])('%s', (_name, text, expected) => {
    expect(severeLines(text)).toEqual(expected);
  });
});

describe('errorsSince on a real file', () => {
  let dir: string;
  let log: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'portico-error-log-'));
    log = join(dir, 'error.log');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads only what was written after the mark', async () => {
    await writeFile(log, `2026/11/27 02:00:00 [emerg] 1#1: an old failure\n${NOTICE}\n`);
    const mark = await errorLogMark(log);
    await appendFile(log, `${NOTICE}\n${BIND}\n`);
    expect(await errorsSince(log, mark)).toEqual([
      '[emerg] bind() to 0.0.0.0:18082 failed (98: Address already in use)',
    ]);
  });

  it('reads a log that was rotated (shorter than the mark) from its start', async () => {
    await writeFile(log, `${NOTICE}\n${NOTICE}\n${NOTICE}\n`);
    const mark = await errorLogMark(log);
    await writeFile(log, `${BIND}\n`);
    expect(await errorsSince(log, mark)).toHaveLength(1);
  });

  it('marks 0 and reads nothing when the log does not exist', async () => {
    expect(await errorLogMark(log)).toBe(0);
    expect(await errorsSince(log, 0)).toEqual([]);
  });
});
