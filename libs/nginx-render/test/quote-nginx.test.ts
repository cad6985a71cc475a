/**
 * The quoting function against a real NGINX: each hostile value becomes an exact location
 * literal; the request for exactly that path (percent-encoded on the wire, decoded by NGINX)
 * must hit it. A value that broke out of its quotes would fail `nginx -t` or never match.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS_FILE, quote, renderNginx } from '@portico/nginx-render';
import { freePorts, httpRequest, makeTempDir, removeTempDir } from '@portico/testing';
import { nginxTest, runNginx, settingsUnder, writeRendered } from './support/nginx.ts';

const HOSTILE = [
  ['an injected directive', '/"; include /etc/passwd; "'],
  ['a variable', '/$host'],
  ['braces', '/{ return 200; }'],
  ['a comment sign', '/a#b'],
  ['backslashes', '/a\\b\\'],
  ['a backslash before a quote', '/x\\"'],
  ['single quotes', "/it's"],
] as const;

describe('quoted literals in a real NGINX', () => {
  let root = '';
  let port = 0;
  let nginx: { stop(): Promise<void> } | undefined;

  beforeAll(async () => {
    root = await makeTempDir('render-quote');
    const [httpPort, statusPort] = await freePorts(2);
    port = httpPort ?? 0;
    const settings = settingsUnder(root, { statusListen: `127.0.0.1:${statusPort}` });
    await writeRendered(renderNginx([], settings).files, settings);
    const locations = HOSTILE.map(
      ([, path], i) => `    location = ${quote(path, 'test')} { return 200 "hit ${i}"; }`,
    );
    const fallback = '    location / { return 404; }';
    const server = ['server {', `    listen 127.0.0.1:${port};`, ...locations, fallback, '}', ''];
    await writeFile(join(settings.paths.confDir, DEFAULTS_FILE), server.join('\n'));
    const test = await nginxTest(settings);
    expect(test.output).toContain('test is successful');
    nginx = await runNginx(settings);
  });

  afterAll(async () => {
    await nginx?.stop();
    await removeTempDir(root);
  });

  it.each(HOSTILE.map(([title, path], i) => [title, path, i] as const))(
    'matches %s exactly',
    async (_title, path, i) => {
      const wire = '/' + encodeURIComponent(path.slice(1));
      const res = await httpRequest(`http://127.0.0.1:${port}${wire}`);
      expect(res.status).toBe(200);
      expect(res.body).toBe(`hit ${i}`);
    },
  );

  it('does not match a near miss', async () => {
    const res = await httpRequest(`http://127.0.0.1:${port}/${encodeURIComponent('$hos')}`);
    expect(res.status).toBe(404);
  });
});
