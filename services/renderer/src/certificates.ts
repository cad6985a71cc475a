/**
 * Certificate files for the rendered configuration, read from the API server (invariant 6:
 * key material never passes through Redis, the IR or logs; the IR names Secrets, the
 * renderer fetches them here, right before writing them beside nginx.conf with mode 0600).
 */
import { KubeApiError, type KubeObject, type KubeRest } from '@portico/kube';
import type { CertificateFile, RenderedFile } from '@portico/nginx-render';

/** Files are readable by the NGINX master only (it loads certificates before dropping root). */
export const KEY_FILE_MODE = 0o600;

/** A certificate Secret that could not be read or used; the message names it, never its data. */
export class CertificateReadError extends Error {}

/** Reads each Secret once and returns the `.crt` and `.key` files of every certificate. */
export async function readCertificateFiles(
  rest: KubeRest,
  files: readonly CertificateFile[],
): Promise<RenderedFile[]> {
  const secrets = new Map<string, Promise<KubeObject>>();
  const out: RenderedFile[] = [];
  for (const file of files) {
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
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}`;
  try {
    return await rest.request<KubeObject>('GET', path);
  } catch (error) {
    const why =
      error instanceof KubeApiError ? `${error.code} ${error.reason}` : (error as Error).message;
    throw new CertificateReadError(`cannot read Secret ${namespace}/${name}: ${why}`);
  }
}

function decode(base64: string | undefined): string {
  return base64 ? Buffer.from(base64, 'base64').toString('utf8') : '';
}
