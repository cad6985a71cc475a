import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeApiError, type KubeObject, type KubeRest } from '@portico/kube';
import type { CertificateFile } from '@portico/nginx-render';
import { makeTempDir, removeTempDir } from '@portico/testing';
import { CertificateReadError, KEY_FILE_MODE, readCertificateFiles } from '../src/certificates.ts';

const PEM_A = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
const PEM_B = '-----BEGIN CERTIFICATE-----\nBBBB\n-----END CERTIFICATE-----';

/** The API server port, answering from a fixed set of objects by path. */
function fakeRest(objects: Record<string, KubeObject>): KubeRest {
  return {
    request: async (method: string, path: string) => {
      const found = objects[`${method} ${path}`];
      if (found === undefined) throw new KubeApiError(404, 'NotFound', `${path} not found`);
      return found;
    },
  } as unknown as KubeRest;
}

const configMap = (data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'ca', namespace: 'default' },
  data,
});

function bundle(...sources: NonNullable<CertificateFile['caSources']>): CertificateFile {
  return {
    namespace: 'default',
    name: 'ca',
    contentHash: 'ab',
    certificatePath: 'certs/ca_ab.pem',
    keyPath: '',
    caSources: sources,
  };
}

const CM = { kind: 'ConfigMap' as const, namespace: 'default', name: 'ca', contentHash: '1' };
const SECRET = { kind: 'Secret' as const, namespace: 'other', name: 'more', contentHash: '2' };
const CM_PATH = 'GET /api/v1/namespaces/default/configmaps/ca';
const SECRET_PATH = 'GET /api/v1/namespaces/other/secrets/more';

describe('CA bundles', () => {
  it('concatenates ca.crt of a ConfigMap (text) and a Secret (base64), in order, mode 0600', async () => {
    const rest = fakeRest({
      [CM_PATH]: configMap({ 'ca.crt': PEM_A }),
      [SECRET_PATH]: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'more', namespace: 'other' },
        data: { 'ca.crt': Buffer.from(PEM_B).toString('base64') },
      },
    });
    const files = await readCertificateFiles(rest, [bundle(CM, SECRET)]);
    expect(files).toEqual([
      { path: 'certs/ca_ab.pem', contents: `${PEM_A}${PEM_B}\n`, mode: KEY_FILE_MODE },
    ]);
  });

  it.each<[string, Record<string, KubeObject>, RegExp]>([
    ['a missing ConfigMap', {}, /cannot read ConfigMap default\/ca: 404 NotFound/],
    [
      'a ConfigMap without ca.crt',
      { [CM_PATH]: configMap({ other: PEM_A }) },
      /no PEM certificate in ca.crt/,
    ],
    [
      'a ca.crt that is not PEM',
      { [CM_PATH]: configMap({ 'ca.crt': 'hello' }) },
      /no PEM certificate/,
    ],
  ])('%s is a CertificateReadError naming the object', async (_name, objects, message) => {
    const error = await readCertificateFiles(fakeRest(objects), [bundle(CM)]).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CertificateReadError);
    expect((error as Error).message).toMatch(message);
  });
});

describe('the system CA bundle (wellKnownCACertificates: System)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir('system-ca');
    await writeFile(join(dir, 'bundle.crt'), `${PEM_A}${PEM_B}\n`);
    await writeFile(join(dir, 'empty.crt'), 'not a certificate\n');
  });
  afterAll(() => removeTempDir(dir));
  const system: CertificateFile = {
    ...bundle({ kind: 'System' }),
    certificatePath: 'certs/ca_system.pem',
  };

  it('is copied from PORTICO_SYSTEM_CA_BUNDLE beside nginx.conf, mode 0600, no API call', async () => {
    const files = await readCertificateFiles(fakeRest({}), [system], {
      systemCaBundle: join(dir, 'bundle.crt'),
    });
    expect(files).toEqual([
      { path: 'certs/ca_system.pem', contents: `${PEM_A}${PEM_B}\n`, mode: KEY_FILE_MODE },
    ]);
  });

  it.each<[string, string | undefined, RegExp]>([
    ['no configured path', undefined, /no system CA bundle is configured/],
    ['a missing file', 'absent.crt', /cannot read the system CA bundle .*absent.crt: ENOENT/],
    ['a file without PEM', 'empty.crt', /system CA bundle .*empty.crt holds no PEM certificate/],
  ])('%s is a CertificateReadError naming it', async (_name, file, message) => {
    const sources = file === undefined ? {} : { systemCaBundle: join(dir, file) };
    const error = await readCertificateFiles(fakeRest({}), [system], sources).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CertificateReadError);
    expect((error as Error).message).toMatch(message);
  });
});
