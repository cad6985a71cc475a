/**
 * Certificate files for the rendered configuration, read from the API server (invariant 6:
 * key material never passes through Redis, the IR or logs; the IR names Secrets, the
 * renderer fetches them here, right before writing them beside nginx.conf with mode 0600).
 */
import { readFile } from 'node:fs/promises';
import { KubeApiError, type KubeObject, type KubeRest } from '@portico/kube';
import type { CaSource, CertificateFile, RenderedFile } from '@portico/nginx-render';

/** Files are readable by the NGINX master only (it loads certificates before dropping root). */
export const KEY_FILE_MODE = 0o600;

const PEM_BEGIN = '-----BEGIN CERTIFICATE-----';

/** A certificate Secret that could not be read or used; the message names it, never its data. */
export class CertificateReadError extends Error {}

/** Where the data plane's own files are (renderer config). */
export interface CertificateSources {
  /**
   * The system CA bundle that `wellKnownCACertificates: System` trusts
   * (`PORTICO_SYSTEM_CA_BUNDLE`); without it such a bundle cannot be written.
   */
  systemCaBundle?: string;
}

/** Reads each Secret once and returns the `.crt` and `.key` files of every certificate. */
export async function readCertificateFiles(
  rest: KubeRest,
  files: readonly CertificateFile[],
  sources: CertificateSources = {},
): Promise<RenderedFile[]> {
  const secrets = new Map<string, Promise<KubeObject>>();
  const out: RenderedFile[] = [];
  for (const file of files) {
    if (file.caSources !== undefined) {
      out.push(await readCaBundle(rest, file.certificatePath, file.caSources, sources));
      continue;
    }
    const key = `${file.namespace}/${file.name}`;
    const secret = secrets.get(key) ?? readSecret(rest, file.namespace, file.name);
    secrets.set(key, secret);
    const data = ((await secret).data ?? {}) as Record<string, string>;
    const certificate = decode(data['tls.crt']);
    const privateKey = decode(data['tls.key']);
    if (!certificate || !privateKey) {
      throw new CertificateReadError(`Secret ${key} has no tls.crt or no tls.key`);
    }
    out.push(
      { path: file.certificatePath, contents: certificate, mode: KEY_FILE_MODE },
      { path: file.keyPath, contents: privateKey, mode: KEY_FILE_MODE },
    );
  }
  return out;
}

async function readSecret(rest: KubeRest, namespace: string, name: string): Promise<KubeObject> {
  return readObject(rest, 'Secret', namespace, name);
}

/**
 * A CA bundle (BackendTLSPolicy `caCertificateRefs`): `ca.crt` of each ConfigMap (plain text)
 * or Secret (base64), concatenated in order; or a copy of the system bundle
 * (`wellKnownCACertificates: System`). CA certificates are public, but they take the same
 * path as key material: the IR names them, the data comes from the API server.
 */
async function readCaBundle(
  rest: KubeRest,
  path: string,
  sources: readonly CaSource[],
  local: CertificateSources,
): Promise<RenderedFile> {
  const parts: string[] = [];
  for (const source of sources) {
    const pem =
      source.kind === 'System' ? await readSystemBundle(local) : await readCaCrt(rest, source);
    parts.push(pem.endsWith('\n') ? pem : `${pem}\n`);
  }
  return { path, contents: parts.join(''), mode: KEY_FILE_MODE };
}

/** `ca.crt` of a ConfigMap (plain text) or a Secret (base64), which must hold PEM. */
async function readCaCrt(
  rest: KubeRest,
  source: Exclude<CaSource, { kind: 'System' }>,
): Promise<string> {
  const object = await readObject(rest, source.kind, source.namespace, source.name);
  const raw = ((object.data ?? {}) as Record<string, string>)['ca.crt'];
  const pem = source.kind === 'Secret' ? decode(raw) : (raw ?? '');
  if (!pem.includes(PEM_BEGIN)) {
    throw new CertificateReadError(
      `${source.kind} ${source.namespace}/${source.name} has no PEM certificate in ca.crt`,
    );
  }
  return pem;
}

/** The data plane's system CA bundle, read from disk (it is the image's, not the cluster's). */
async function readSystemBundle({ systemCaBundle }: CertificateSources): Promise<string> {
  if (systemCaBundle === undefined) {
    throw new CertificateReadError('no system CA bundle is configured (PORTICO_SYSTEM_CA_BUNDLE)');
  }
  let pem: string;
  try {
    pem = await readFile(systemCaBundle, 'utf8');
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new CertificateReadError(`cannot read the system CA bundle ${systemCaBundle}: ${why}`);
  }
  if (!pem.includes(PEM_BEGIN)) {
    throw new CertificateReadError(
      `the system CA bundle ${systemCaBundle} holds no PEM certificate`,
    );
  }
  return pem;
}

async function readObject(
  rest: KubeRest,
  kind: 'Secret' | 'ConfigMap',
  namespace: string,
  name: string,
): Promise<KubeObject> {
  const plural = kind === 'Secret' ? 'secrets' : 'configmaps';
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/${plural}/${encodeURIComponent(name)}`;
  try {
    return await rest.request<KubeObject>('GET', path);
  } catch (error) {
    const why =
      error instanceof KubeApiError ? `${error.code} ${error.reason}` : (error as Error).message;
    throw new CertificateReadError(`cannot read ${kind} ${namespace}/${name}: ${why}`);
  }
}

function decode(base64: string | undefined): string {
  return base64 ? Buffer.from(base64, 'base64').toString('utf8') : '';
}
