/**
 * What the frontend client certificate scenarios share: HTTPS listeners on the suite's
 * server certificate, `tls.frontend` validation blocks, client certificates made at run time
 * (each self-signed, so it is its own CA and the ConfigMap that trusts it holds just it), and
 * the one-shot request upstream's `MakeTLSRequestAndExpectFailureResponse` makes.
 */
import type { KubeObject } from '@portico/kube';
import { RESOURCES } from '@portico/kube';
import { createTestCertificate, type TestCertificate } from '@portico/testing';
import { INFRA, listener, ref, type Ref } from '../builders.ts';
import { roundTrip, type TlsOptions } from '../http-expect.ts';
import type { ScenarioContext } from '../scenario.ts';
import { at } from './expect.ts';
import { caConfigMap } from './backend-tls-support.ts';

/** The suite's server certificate (`*`, `*.org`), which every HTTPS listener here uses. */
export const SERVER_SECRET = 'tls-validity-checks-certificate';

/** An HTTPS listener on the suite's server certificate. */
export function https(name: string, port: number, hostname?: string): Record<string, unknown> {
  return listener({
    name,
    port,
    protocol: 'HTTPS',
    ...(hostname === undefined ? {} : { hostname }),
    tls: { certificateRefs: [{ group: '', kind: 'Secret', name: SERVER_SECRET }] },
  });
}

/** A `validation` block with CA references (`{kind, name, namespace?}`) and a mode. */
export function validation(
  refs: Array<{ kind: string; name: string; namespace?: string }>,
  mode?: 'AllowValidOnly' | 'AllowInsecureFallback',
): Record<string, unknown> {
  return {
    caCertificateRefs: refs.map((r) => ({ group: '', ...r })),
    ...(mode === undefined ? {} : { mode }),
  };
}

/** Two client certificates and the ConfigMaps (in INFRA) that trust each. */
export interface ClientPki {
  first: TestCertificate;
  second: TestCertificate;
  objects: KubeObject[];
}

/** Makes the client certificates; `names` are the ConfigMaps trusting the first and second. */
export async function clientPki(names: [string, string]): Promise<ClientPki> {
  const [first, second] = await Promise.all([
    createTestCertificate(['first-client.portico.test']),
    createTestCertificate(['second-client.portico.test']),
  ]);
  return {
    first,
    second,
    objects: [caConfigMap(ref(INFRA, names[0]), first), caConfigMap(ref(INFRA, names[1]), second)],
  };
}

/** The PEM certificate of the suite's server Secret, for clients to trust. */
export async function serverCa(t: ScenarioContext): Promise<string> {
  const secret = await t.cluster.get(RESOURCES.Secret, ref(INFRA, SERVER_SECRET));
  const crt = (secret['data'] as Record<string, string> | undefined)?.['tls.crt'] ?? '';
  const pem = Buffer.from(crt, 'base64').toString('utf8');
  if (!pem) throw new Error(`Secret ${SERVER_SECRET} has no tls.crt`);
  return pem;
}

/** TLS options for `host` with the given client certificate, or none. */
export function tlsFor(ca: string, host: string, client?: TestCertificate): TlsOptions {
  return {
    ca,
    serverName: host,
    ...(client === undefined ? {} : { client: { cert: client.certPem, key: client.keyPem } }),
  };
}

/**
 * Upstream `MakeTLSRequestAndExpectFailureResponse`: one request must not succeed. NGINX ends
 * an unverified client's request with 400, or refuses the handshake when the listener is not
 * served; a 200 (or any other answer) fails the step.
 */
export async function expectRefused(address: string, tls: TlsOptions): Promise<void> {
  let status: number;
  try {
    status = (await roundTrip(address, { request: at(tls.serverName, '/') }, {}, tls)).status;
  } catch {
    return;
  }
  if (status !== 400) throw new Error(`expected the request to fail, got ${status}`);
}

export type { Ref };
