/**
 * TLS towards backends (BackendTLSPolicy): the `proxy_ssl_*` directives of a location whose
 * upstream speaks TLS, and the CA bundle files they name.
 *
 * - `proxy_pass https://...` with `proxy_ssl_server_name on` and `proxy_ssl_name <hostname>`:
 *   the policy's hostname is the SNI, and NGINX (`proxy_ssl_verify on`) checks the backend's
 *   certificate against that same name and against the trusted CAs.
 * - These directives live in a location, not in an upstream, so one location can only speak
 *   one TLS configuration: a weighted split whose backends differ in TLS settings cannot be
 *   rendered, and is a RenderError naming the rule rather than a silently weaker check.
 * - CA bundles are files beside nginx.conf, named by the hash of their sources; the renderer
 *   service reads `ca.crt` of each ConfigMap (or Secret) and writes their concatenation.
 *   `wellKnownCACertificates: System` is a bundle too (`certs/ca_system.pem`): the renderer
 *   service copies the data plane's system bundle there, so the rendered files are the same
 *   on every machine and a staging copy checks with `nginx -t` on its own.
 * - `subjectAltNames` other than the hostname alone cannot be checked by NGINX 1.22, which
 *   verifies only the name it sends as SNI and knows no URI SANs: such upstreams are
 *   `bridged` (backend-tls-bridge.ts), and NGINX speaks cleartext to the renderer's bridge.
 */
import { createHash } from 'node:crypto';
import type { CaCertificateRefIR, SubjectAltNameIR, UpstreamTlsIR } from '@portico/ir';
import { RenderError } from './errors.ts';
import { certificateFile, type CertificateFile } from './tls.ts';
import { directive, str, word, type ConfNode } from './syntax.ts';
import { checkHostname, checkK8sName } from './validate.ts';

const CONTENT_HASH = /^[0-9a-f]{1,64}$/;
/** A URI SAN as the graph lets it through: scheme, `//`, no whitespace or control characters. */
const SAN_URI = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s\p{Cc}]*$/u;
/** `<namespace>/<name>` of a policy: it reaches logs only, but it is checked like any name. */
const POLICY = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/;
/** How deep a backend's chain may be; NGINX's default of 1 refuses intermediates. */
const VERIFY_DEPTH = 4;

/** An upstream's TLS after checking, with the files it needs. */
export interface UpstreamTls {
  /** Identity of the settings: equal keys render equal directives. */
  key: string;
  serverName: string;
  /** The names the certificate must carry one of; empty: `serverName`. */
  subjectAltNames: SubjectAltNameIR[];
  /** NGINX cannot verify `subjectAltNames`: the renderer's bridge speaks TLS instead. */
  bridged: boolean;
  policy: string;
  trusted: CertificateFile;
  client?: CertificateFile;
}

/** Checks an IR upstream's TLS and names its files. */
export function checkUpstreamTls(tls: UpstreamTlsIR, field: string): UpstreamTls {
  const serverName = checkHostname(tls.serverName, `${field}.serverName`);
  if (serverName.includes('*')) throw new RenderError(`${field}.serverName`, 'must be precise');
  const trusted = trustedFile(tls, field);
  const client =
    tls.clientCertificate === undefined
      ? undefined
      : certificateFile(tls.clientCertificate, `${field}.clientCertificate`);
  const subjectAltNames = (tls.subjectAltNames ?? []).map((san, i) =>
    checkSubjectAltName(san, `${field}.subjectAltNames[${i}]`),
  );
  if (!POLICY.test(tls.policy)) throw new RenderError(`${field}.policy`, 'not <namespace>/<name>');
  const bridged = needsBridge(serverName, subjectAltNames);
  const key = [
    serverName,
    trusted.certificatePath,
    client?.certificatePath ?? '',
    ...(bridged ? [tls.policy, JSON.stringify(subjectAltNames)] : []),
  ].join('\0');
  return {
    key,
    serverName,
    subjectAltNames,
    bridged,
    policy: tls.policy,
    trusted,
    ...(client === undefined ? {} : { client }),
  };
}

/**
 * True unless NGINX's own check is exactly what the policy asks: no SANs (the certificate
 * must match the hostname) or a single Hostname SAN equal to the hostname it sends as SNI.
 */
export function needsBridge(serverName: string, sans: readonly SubjectAltNameIR[]): boolean {
  if (sans.length === 0) return false;
  const [only] = sans;
  return !(sans.length === 1 && only?.type === 'Hostname' && only.hostname === serverName);
}

function checkSubjectAltName(san: SubjectAltNameIR, field: string): SubjectAltNameIR {
  if (san.type === 'Hostname') {
    const hostname = checkHostname(san.hostname, `${field}.hostname`);
    if (hostname.includes('*')) throw new RenderError(`${field}.hostname`, 'must be precise');
    return { type: 'Hostname', hostname };
  }
  if (san.type === 'URI') {
    if (san.uri.length > 253 || !SAN_URI.test(san.uri))
      throw new RenderError(`${field}.uri`, 'not an absolute URI');
    return { type: 'URI', uri: san.uri };
  }
  throw new RenderError(`${field}.type`, 'must be Hostname or URI');
}

/** The CA file an upstream trusts: its references' bundle, or the system bundle. */
function trustedFile(tls: UpstreamTlsIR, field: string): CertificateFile {
  const system = tls.wellKnownCACertificates;
  const refs = tls.trustedCertificates.length;
  if (system !== undefined && system !== 'System') {
    throw new RenderError(`${field}.wellKnownCACertificates`, 'only System is known');
  }
  if (system !== undefined && refs > 0) {
    throw new RenderError(
      `${field}.wellKnownCACertificates`,
      'excludes trustedCertificates: one CA source only',
    );
  }
  if (system !== undefined) return systemBundleFile();
  if (refs === 0) {
    throw new RenderError(`${field}.trustedCertificates`, 'at least one CA is needed');
  }
  return caBundleFile(tls.trustedCertificates, `${field}.trustedCertificates`);
}

/** Path of the copy of the data plane's system CA bundle beside nginx.conf. */
export const SYSTEM_CA_BUNDLE_PATH = 'certs/ca_system.pem';

/** The system CA bundle as a CA file (one per NGINX, shared by every upstream trusting it). */
export function systemBundleFile(): CertificateFile {
  return {
    namespace: '',
    name: '',
    contentHash: 'system',
    certificatePath: SYSTEM_CA_BUNDLE_PATH,
    keyPath: '',
    caSources: [{ kind: 'System' }],
  };
}

/** The bundle of several CA references: one file, named by the hash of its sources. */
export function caBundleFile(refs: CaCertificateRefIR[], field: string): CertificateFile {
  const sources = refs.map((ref, i) => {
    const at = `${field}[${i}]`;
    if (ref.kind !== 'ConfigMap' && ref.kind !== 'Secret') {
      throw new RenderError(`${at}.kind`, 'must be ConfigMap or Secret');
    }
    if (!CONTENT_HASH.test(ref.contentHash)) {
      throw new RenderError(`${at}.contentHash`, 'not a hex content hash');
    }
    return {
      kind: ref.kind,
      namespace: checkK8sName(ref.namespace, `${at}.namespace`),
      name: checkK8sName(ref.name, `${at}.name`),
      contentHash: ref.contentHash,
    };
  });
  const id = createHash('sha256')
    .update(sources.map((s) => `${s.kind}/${s.namespace}/${s.name}/${s.contentHash}`).join('\n'))
    .digest('hex')
    .slice(0, 16);
  const [first] = sources;
  return {
    namespace: first?.namespace ?? '',
    name: first?.name ?? '',
    contentHash: id,
    certificatePath: `certs/ca_${id}.pem`,
    keyPath: '',
    caSources: sources,
  };
}

/** The location directives that make `proxy_pass https://` verify the backend. */
export function proxySslDirectives(tls: UpstreamTls, field: string): ConfNode[] {
  return [
    directive('proxy_ssl_server_name', word('on')),
    directive('proxy_ssl_name', str(tls.serverName, `${field}.serverName`)),
    directive('proxy_ssl_verify', word('on')),
    directive('proxy_ssl_verify_depth', word(VERIFY_DEPTH)),
    directive(
      'proxy_ssl_trusted_certificate',
      str(tls.trusted.certificatePath, `${field}.trustedCertificates`, 'variables'),
    ),
    ...(tls.client === undefined
      ? []
      : [
          directive(
            'proxy_ssl_certificate',
            str(tls.client.certificatePath, `${field}.clientCertificate`, 'variables'),
          ),
          directive(
            'proxy_ssl_certificate_key',
            str(tls.client.keyPath, `${field}.clientCertificate`, 'variables'),
          ),
        ]),
  ];
}

/** The files of a TLS upstream, for the renderer service to write. */
export function upstreamTlsFiles(tls: UpstreamTls): CertificateFile[] {
  return tls.client === undefined ? [tls.trusted] : [tls.trusted, tls.client];
}
