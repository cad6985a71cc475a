/**
 * Golden files: `golden/<case>/ir.json` (one Gateway IR or an array of them) and an optional
 * `settings.json` (overrides of the settings below) in; `golden/<case>/out/**` (the rendered
 * files) and `golden/<case>/result.json` (version, warnings, modes) expected. Every case's
 * files also pass a real `nginx -t`. `UPDATE_GOLDEN=1` rewrites the expected files; review
 * the diff.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayIR } from '@portico/ir';
import { renderNginx, type RenderResult, type RenderSettings } from '@portico/nginx-render';
import { makeTempDir, removeTempDir } from '@portico/testing';
import { writeCertificates } from './support/certificates.ts';
import { nginxTest, settingsUnder, writeRendered } from './support/nginx.ts';

const GOLDEN = join(import.meta.dirname, 'golden');
/** Runtime paths written into the golden files; the test creates them for `nginx -t`. */
const GOLDEN_ROOT = '/tmp/portico-golden-nginx';
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const cases = readdirSync(GOLDEN).filter((name) => existsSync(join(GOLDEN, name, 'ir.json')));

function loadCase(name: string): { irs: GatewayIR[]; settings: RenderSettings } {
  const dir = join(GOLDEN, name);
  const parsed = JSON.parse(readFileSync(join(dir, 'ir.json'), 'utf8')) as GatewayIR | GatewayIR[];
  const settingsFile = join(dir, 'settings.json');
  const overrides = existsSync(settingsFile)
    ? (JSON.parse(readFileSync(settingsFile, 'utf8')) as Partial<RenderSettings>)
    : {};
  return {
    irs: Array.isArray(parsed) ? parsed : [parsed],
    settings: settingsUnder(GOLDEN_ROOT, overrides),
  };
}

function summary(result: RenderResult): object {
  const modes = Object.fromEntries(result.files.map((f) => [f.path, f.mode.toString(8)]));
  const certificates = result.certificates.map((c) => c.certificatePath);
  const base = { version: result.version, warnings: result.warnings, modes };
  const bridges = result.backendTlsBridges;
  return {
    ...base,
    ...(certificates.length === 0 ? {} : { certificates }),
    ...(bridges.length === 0 ? {} : { backendTlsBridges: bridges }),
  };
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

async function rewrite(name: string, result: RenderResult): Promise<void> {
  const out = join(GOLDEN, name, 'out');
  await rm(out, { recursive: true, force: true });
  for (const file of result.files) {
    await mkdir(dirname(join(out, file.path)), { recursive: true });
    await writeFile(join(out, file.path), file.contents);
  }
  await writeFile(
    join(GOLDEN, name, 'result.json'),
    JSON.stringify(summary(result), null, 2) + '\n',
  );
}

describe('golden files', () => {
  let scratch = '';
  beforeAll(async () => {
    scratch = await makeTempDir('render-golden');
  });
  afterAll(async () => {
    await removeTempDir(scratch);
  });

  it('has cases', () => {
    expect(cases.length).toBeGreaterThan(3);
  });

  describe.each(cases)('%s', (name) => {
    const { irs, settings } = loadCase(name);
    const result = renderNginx(irs, settings);

    it('renders the expected files', async () => {
      if (UPDATE) await rewrite(name, result);
      const out = join(GOLDEN, name, 'out');
      expect(result.files.map((f) => f.path)).toEqual(await listFiles(out));
      for (const file of result.files) {
        expect(file.contents, file.path).toBe(await readFile(join(out, file.path), 'utf8'));
      }
      const expected = JSON.parse(await readFile(join(GOLDEN, name, 'result.json'), 'utf8'));
      expect(summary(result)).toEqual(expected);
    });

    it('renders the same bytes with the Gateways in reverse order', () => {
      expect(renderNginx([...irs].reverse(), settings)).toEqual(result);
    });

    it('passes nginx -t', async () => {
      const dir = join(scratch, name);
      const local: RenderSettings = {
        ...settings,
        paths: { ...settings.paths, prefix: dir, confDir: dir },
      };
      await writeRendered(result.files, local);
      await writeCertificates(result.certificates, local);
      const test = await nginxTest(local);
      expect(test.output).toContain('test is successful');
      expect(test.ok).toBe(true);
    });
  });
});
