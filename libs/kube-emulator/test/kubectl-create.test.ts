/**
 * `kubectl create namespace|secret|configmap`: kubectl's typed clients send these as
 * protobuf (`application/vnd.kubernetes.protobuf`), which the emulator must accept like
 * kube-apiserver does.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type Json } from './helpers.ts';
import { kubectl } from './kubectl.ts';

const run = promisify(execFile);
let h: Harness;
let certPem: string;
let keyPem: string;

beforeAll(async () => {
  h = await startHarness();
  const cert = join(h.dir, 'tls.crt');
  const key = join(h.dir, 'tls.key');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    key,
    '-out',
    cert,
    '-subj',
    '/CN=www.example.com',
    '-days',
    '1',
  ]);
  certPem = await readFile(cert, 'utf8');
  keyPem = await readFile(key, 'utf8');
  await writeFile(join(h.dir, 'blob.bin'), Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80]));
  expect((await kubectl(h, 'create', 'namespace', 'team-a')).stderr).toBe('');
});
afterAll(async () => h.stop());

async function getJson(...args: string[]): Promise<Json> {
  const r = await kubectl(h, 'get', ...args, '-o', 'json');
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as Json;
}

const b64 = (text: string): string => Buffer.from(text).toString('base64');

describe('kubectl create with protobuf bodies', () => {
  it('creates a Namespace with its name label and finalizer', async () => {
    const ns = await getJson('namespace', 'team-a');
    expect(ns.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'team-a' });
    expect(ns.spec).toEqual({ finalizers: ['kubernetes'] });
  });

  it.each([
    {
      title: 'generic Secret from literals, with a type',
      args: [
        'secret',
        'generic',
        'lit',
        '--from-literal=user=admin',
        '--from-literal=pw=s3cr=t',
        '--type=example.com/creds',
      ],
      expected: { type: 'example.com/creds', data: { user: b64('admin'), pw: b64('s3cr=t') } },
    },
    {
      title: 'generic Secret defaults to Opaque',
      args: ['secret', 'generic', 'plain', '--from-literal=a=b'],
      expected: { type: 'Opaque', data: { a: b64('b') } },
    },
    {
      title: 'generic Secret from a binary file',
      args: ['secret', 'generic', 'bin', `--from-file=blob=BLOB`],
      expected: {
        type: 'Opaque',
        data: { blob: Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80]).toString('base64') },
      },
    },
  ])('$title', async ({ args, expected }) => {
    const resolved = args.map((a) => a.replace('BLOB', join(h.dir, 'blob.bin')));
    const r = await kubectl(h, '-n', 'team-a', 'create', ...resolved);
    expect(r.stderr).toBe('');
    const name = args[2] ?? '';
    expect(r.stdout.trim()).toBe(`secret/${name} created`);
    const secret = await getJson('-n', 'team-a', 'secret', name);
    expect({ type: secret.type, data: secret.data }).toEqual(expected);
  });

  it('creates a TLS Secret with tls.crt and tls.key byte for byte', async () => {
    const r = await kubectl(
      h,
      '-n',
      'team-a',
      'create',
      'secret',
      'tls',
      'cert',
      `--cert=${join(h.dir, 'tls.crt')}`,
      `--key=${join(h.dir, 'tls.key')}`,
    );
    expect(r.stderr).toBe('');
    const secret = await getJson('-n', 'team-a', 'secret', 'cert');
    expect(secret.type).toBe('kubernetes.io/tls');
    expect(secret.data).toEqual({ 'tls.crt': b64(certPem), 'tls.key': b64(keyPem) });
  });

  it('creates a ConfigMap with data, binaryData and the --save-config annotation', async () => {
    const r = await kubectl(
      h,
      '-n',
      'team-a',
      'create',
      'configmap',
      'settings',
      '--from-literal=mode=fast',
      `--from-file=blob=${join(h.dir, 'blob.bin')}`,
      '--save-config',
    );
    expect(r.stderr).toBe('');
    const cm = await getJson('-n', 'team-a', 'configmap', 'settings');
    expect(cm.data).toEqual({ mode: 'fast' });
    expect(cm.binaryData).toEqual({
      blob: Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80]).toString('base64'),
    });
    const applied = JSON.parse(
      cm.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'],
    ) as Json;
    expect(applied.data).toEqual({ mode: 'fast' });
  });

  it('answers AlreadyExists for a second create, as kube-apiserver does', async () => {
    const r = await kubectl(
      h,
      '-n',
      'team-a',
      'create',
      'secret',
      'generic',
      'plain',
      '--from-literal=a=c',
    );
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('secrets "plain" already exists');
  });

  it('creates a docker-registry Secret', async () => {
    const r = await kubectl(
      h,
      '-n',
      'team-a',
      'create',
      'secret',
      'docker-registry',
      'pull',
      '--docker-username=u',
      '--docker-password=p',
      '--docker-server=registry.example.com',
    );
    expect(r.stderr).toBe('');
    const secret = await getJson('-n', 'team-a', 'secret', 'pull');
    expect(secret.type).toBe('kubernetes.io/dockerconfigjson');
    const config = JSON.parse(
      Buffer.from(secret.data['.dockerconfigjson'], 'base64').toString(),
    ) as Json;
    expect(config.auths['registry.example.com'].username).toBe('u');
  });
});
