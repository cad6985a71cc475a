/**
 * HTTPS at the server level: certificates by SNI, misdirected requests, and the default
 * servers of TLS ports.
 *
 * - Each virtual host of an HTTPS port is a `server` with `listen <port> ssl` and the
 *   certificates of the listener that owns it. NGINX picks the server for the handshake by
 *   SNI (exact name, then longest wildcard, then the default server), the same order in which
 *   the graph assigned hosts to listeners, so the certificate is the most specific
 *   listener's.
 * - A request is then routed by its Host, which may belong to another listener than the one
 *   the SNI chose (HTTP/2 connection coalescing does this). A `map` over `$ssl_server_name`
 *   with the listeners' hostnames tells which listener the SNI chose; a server whose listener
 *   is not that one answers 421 Misdirected Request (Gateway API, "detect misdirected
 *   requests"; RFC 9110 15.5.20), so the client retries on a connection of its own.
 * - A TLS port without a catch-all listener gets a default server that refuses the
 *   handshake (`ssl_reject_handshake`): there is no certificate to present for an unknown
 *   name, and a request that reaches it by Host answers 404.
 *
 * Certificates are files beside nginx.conf, named by Secret and content hash; the renderer
 * service writes them (mode 0600) from the API server. Their names are in the config, so a
 * rotated Secret changes the version and reaches NGINX by reload.
 */
import type { CertificateRefIR, TlsListenerIR } from '@portico/ir';
import { RenderError } from './errors.ts';
import { EMPTY_STRING, blank, block, comment, directive, serialize, str, word } from './syntax.ts';
import type { ConfNode, Token } from './syntax.ts';
import { checkHostname, checkK8sName } from './validate.ts';

/** NGINX's `if` inequality; `!` is not in the bare-word alphabet, so it is spelled once here. */
const NOT_EQUAL = '!=' as Token;
/** The IR's name for a listener without a hostname. */
const ANY_HOST = '*';
const CONTENT_HASH = /^[0-9a-f]{1,64}$/;
/** A listener name: a Gateway API SectionName. */
const SECTION_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Where a certificate's files go, relative to nginx.conf, and which Secret fills them. */
export interface CertificateFile {
  namespace: string;
  name: string;
  contentHash: string;
  certificatePath: string;
  keyPath: string;
  /**
   * Set for a CA bundle (backend-tls.ts): the file at `certificatePath` is the concatenation
   * of `ca.crt` of these objects (or the data plane's system bundle), and there is no key
   * (`keyPath` is empty).
   */
  caSources?: CaSource[];
}

/**
 * What goes into a CA bundle file: `ca.crt` of a ConfigMap or Secret, or `System`, the data
 * plane's own CA bundle (BackendTLSPolicy `wellKnownCACertificates: System`; the renderer
 * service knows its path, so rendered files do not depend on the machine).
 */
export type CaSource =
  | { kind: 'ConfigMap' | 'Secret'; namespace: string; name: string; contentHash: string }
  | { kind: 'System' };

/** The TLS side of one planned server. */
export interface ServerTls {
  /** Identifies the owning listener across the data plane: `<gateway tag>/<listener name>`. */
  listenerId: string;
  /** The `$ssl_server_name` map of the port. */
  sniVariable: string;
  certificates: CertificateFile[];
  /** Client certificate validation of the listener's port (`tls.frontend`). */
  clientValidation?: { mode: 'AllowValidOnly' | 'AllowInsecureFallback'; ca: CertificateFile };
}

/** One HTTPS port of the data plane: its SNI map. */
export interface TlsPort {
  port: number;
  /** Set when the port's TLS stream server routes to these servers (stream-tls.ts). */
  socket?: string;
  sniVariable: string;
  /** Listener hostnames (exact or wildcard) → listener id; `*` is the map's default. */
  listeners: Map<string, string>;
}

/** The files of a certificate: `certs/<namespace>_<name>_<hash>.{crt,key}`. */
export function certificateFile(ref: CertificateRefIR, field: string): CertificateFile {
  const namespace = checkK8sName(ref.namespace, `${field}.namespace`);
  const name = checkK8sName(ref.name, `${field}.name`);
  if (!CONTENT_HASH.test(ref.contentHash)) {
    throw new RenderError(`${field}.contentHash`, 'not a hex content hash');
  }
  const base = `certs/${namespace}_${name}_${ref.contentHash}`;
  return {
    namespace,
    name,
    contentHash: ref.contentHash,
    certificatePath: `${base}.crt`,
    keyPath: `${base}.key`,
  };
}

/** Checks a TLS listener of the IR; returns its hostname for the SNI map. */
export function checkTlsListener(listener: TlsListenerIR, field: string): string {
  if (listener.name.length > 253 || !SECTION_NAME.test(listener.name)) {
    throw new RenderError(`${field}.name`, 'not a valid listener name');
  }
  if (listener.hostname !== ANY_HOST) checkHostname(listener.hostname, `${field}.hostname`);
  if (listener.certificates.length === 0) {
    throw new RenderError(`${field}.certificates`, 'an HTTPS listener needs a certificate');
  }
  return listener.hostname;
}

/** The variable that holds the listener the SNI selected on `port`. */
export function sniVariable(port: number): string {
  return `portico_sni_listener_${port}`;
}

/**
 * `listen` of an HTTPS server; `http2` lets clients coalesce, which the 421 check covers.
 * `socket`: the port has TLS stream listeners, which route the port's HTTPS names here with
 * a PROXY protocol header (stream-tls.ts); the realip lines make its client address
 * `$remote_addr`, so X-Forwarded-For and access logs name the client, not the socket.
 */
export function tlsListen(port: number, defaultServer: boolean, socket?: string): ConfNode[] {
  const last = defaultServer ? [word('default_server')] : [];
  if (socket === undefined) {
    return [directive('listen', word(port), word('ssl'), word('http2'), ...last)];
  }
  const address = str(`unix:${socket}`, 'settings.paths.tempDir', 'variables');
  return [
    directive('listen', address, word('ssl'), word('http2'), word('proxy_protocol'), ...last),
    directive('set_real_ip_from', word('unix:')),
    directive('real_ip_header', word('proxy_protocol')),
  ];
}

/** Certificates and the misdirected-request check, at the top of an HTTPS server. */
export function tlsServerDirectives(tls: ServerTls, field: string): ConfNode[] {
  return [
    ...tls.certificates.flatMap((c) => [
      directive('ssl_certificate', str(c.certificatePath, `${field}.certificates`, 'variables')),
      directive('ssl_certificate_key', str(c.keyPath, `${field}.certificates`, 'variables')),
    ]),
    ...clientValidationDirectives(tls, field),
    comment('the SNI chose another listener: 421 Misdirected Request'),
    block(
      'if',
      [
        word(`($${tls.sniVariable}`),
        NOT_EQUAL,
        str(tls.listenerId, `${field}.listener`),
        word(')'),
      ],
      [directive('return', word(421))],
    ),
  ];
}

/**
 * Client certificates: NGINX asks for one in the handshake of the server the SNI selects
 * (`ssl_client_certificate` also names the accepted CAs to the client). `on` answers 400 to a
 * request without a certificate verified against the bundle; `optional_no_ca` asks but lets
 * every client through, valid certificate or not (`AllowInsecureFallback`).
 */
function clientValidationDirectives(tls: ServerTls, field: string): ConfNode[] {
  const client = tls.clientValidation;
  if (client === undefined) return [];
  const at = `${field}.clientValidation`;
  return [
    directive('ssl_client_certificate', str(client.ca.certificatePath, at, 'variables')),
    directive(
      'ssl_verify_client',
      word(client.mode === 'AllowValidOnly' ? 'on' : 'optional_no_ca'),
    ),
    directive('ssl_verify_depth', word(CLIENT_VERIFY_DEPTH)),
  ];
}

/** Chain depth accepted for client certificates (implementation-specific in the spec). */
const CLIENT_VERIFY_DEPTH = 4;

/**
 * The http-level file around the Gateways' servers: SNI maps of the TLS ports, and default
 * servers for ports without a catch-all virtual host (404; TLS ports refuse the handshake).
 */
export function renderDefaultsFile(uncoveredPorts: number[], tlsPorts: TlsPort[]): string {
  const tls = new Map(tlsPorts.map((p) => [p.port, p]));
  const maps = tlsPorts.flatMap((p) => [blank, sniMap(p)]);
  const servers = uncoveredPorts.flatMap((port) => {
    const tlsPort = tls.get(port);
    const body = tlsPort === undefined ? plainServer(port) : rejectingServer(port, tlsPort.socket);
    return [blank, block('server', [], body)];
  });
  return serialize([
    comment('Default servers: unknown Host headers get 404.'),
    ...(maps.length === 0
      ? []
      : [blank, comment('TLS ports: the listener each SNI name selects (for 421 checks).')]),
    ...maps,
    ...servers,
  ]);
}

function plainServer(port: number): ConfNode[] {
  return [directive('listen', word(port), word('default_server')), directive('return', word(404))];
}

function rejectingServer(port: number, socket: string | undefined): ConfNode[] {
  return [
    ...tlsListen(port, true, socket),
    directive('ssl_reject_handshake', word('on')),
    directive('return', word(404)),
  ];
}

function sniMap(port: TlsPort): ConfNode {
  const names = [...port.listeners.entries()].filter(([host]) => host !== ANY_HOST);
  const fallback = port.listeners.get(ANY_HOST);
  return block(
    'map',
    [word('$ssl_server_name'), word(`$${port.sniVariable}`)],
    [
      directive('hostnames'),
      directive('default', fallback === undefined ? EMPTY_STRING : str(fallback, 'listener')),
      // Map keys: hostnames checked by checkTlsListener, so bare words.
      ...names.map(([host, id]) => directive(host, str(id, 'listener'))),
    ],
  );
}
