/**
 * The backend TLS bridge: for BackendTLSPolicies whose `subjectAltNames` NGINX 1.22 cannot
 * check (it verifies only the name it sends as SNI, and knows no URI SANs), NGINX proxies in
 * cleartext to a unix socket per (endpoint, TLS settings), and this process opens the TLS
 * connection to the endpoint: SNI = the policy's hostname, the policy's CAs, the Gateway's
 * client certificate, TLS 1.2 at least, and an identity check that accepts the certificate
 * only when it carries one of the listed SANs (san-match.ts). Then it pipes bytes both ways.
 * A failed check closes the cleartext side, so NGINX answers 502, and logs one line naming
 * the policy, the endpoint and the SANs the certificate has.
 *
 * Lifecycle, driven by the Applier: `prepare` listens on the sockets of a configuration before
 * NGINX loads it; `commit` closes the sockets the served configuration no longer names, once
 * NGINX serves it; `abandon` closes those a configuration that was not served had opened.
 * Sockets are named by a hash of everything they do (nginx-render backend-tls-bridge.ts), so
 * a socket that stays keeps its settings; a rotated CA or certificate is a new socket.
 */
import { chmod, readFile, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import {
  connect,
  createSecureContext,
  type PeerCertificate,
  type SecureContext,
  type TLSSocket,
} from 'node:tls';
import type { BackendTlsBridge } from '@portico/nginx-render';
import type { Logger } from '@portico/telemetry';
import { matchSubjectAltNames } from './san-match.ts';

/** NGINX workers run as another user when the master is root: they must be able to connect. */
const SOCKET_MODE = 0o666;
/**
 * How long a socket outlives the configuration that named it: NGINX's old workers finish their
 * requests after a reload and may still connect for them.
 */
const RETIRE_AFTER_MS = 2_000;
/** A backend that accepts TCP but never finishes the handshake must not hold NGINX forever. */
const HANDSHAKE_TIMEOUT_MS = 10_000;

/** What the Applier needs of the bridge (a port, so its tests can run without one). */
export interface BackendTlsBridgePort {
  prepare(plan: readonly BackendTlsBridge[], confDir: string): Promise<void>;
  commit(plan: readonly BackendTlsBridge[]): Promise<void>;
  abandon(): Promise<void>;
}

/** Thrown by the identity check; its message is what the log line says. */
class SanMismatchError extends Error {}

/** The sockets of the backend TLS bridge, served from this process. */
export class BackendTlsBridges implements BackendTlsBridgePort {
  private readonly logger: Logger;
  private readonly running = new Map<string, Server>();
  /** Sockets of the configuration NGINX serves (after the last `commit`). */
  private live = new Set<string>();
  /** Sockets of a configuration prepared but not committed or abandoned yet. */
  private pending = new Set<string>();
  private readonly retireAfterMs: number;

  constructor(logger: Logger, options: { retireAfterMs?: number } = {}) {
    this.logger = logger.child({ component: 'backend-tls-bridge' });
    this.retireAfterMs = options.retireAfterMs ?? RETIRE_AFTER_MS;
  }

  /** Listens on every socket of `plan` not served yet; certificates are read from `confDir`. */
  async prepare(plan: readonly BackendTlsBridge[], confDir: string): Promise<void> {
    this.pending = new Set(plan.map((bridge) => bridge.socket));
    for (const bridge of plan) {
      if (this.running.has(bridge.socket)) continue;
      const context = await secureContextOf(bridge, confDir);
      this.running.set(bridge.socket, await listen(bridge, context, this.logger));
      this.logger.info(
        { socket: bridge.socket, policy: bridge.policy, endpoint: endpointOf(bridge) },
        'backend TLS bridge listening',
      );
    }
  }

  /** `plan` is served now: the sockets it no longer names close after a grace period. */
  async commit(plan: readonly BackendTlsBridge[]): Promise<void> {
    this.live = new Set(plan.map((bridge) => bridge.socket));
    this.pending = new Set();
    if (this.retireAfterMs === 0) return this.retire();
    setTimeout(() => void this.retire(), this.retireAfterMs).unref();
  }

  /** The prepared configuration was not served: closes what it opened. */
  async abandon(): Promise<void> {
    this.pending = new Set();
    await this.retire();
  }

  /** Closes every socket (shutdown). */
  async close(): Promise<void> {
    await this.closeAllBut(new Set());
  }

  /** Paths of the sockets listening now, sorted (for tests and logs). */
  sockets(): string[] {
    return [...this.running.keys()].sort();
  }

  /** Closes the sockets neither the served nor a prepared configuration names. */
  private retire(): Promise<void> {
    return this.closeAllBut(new Set([...this.live, ...this.pending]));
  }

  private async closeAllBut(keep: ReadonlySet<string>): Promise<void> {
    for (const [socket, server] of [...this.running]) {
      if (keep.has(socket)) continue;
      this.running.delete(socket);
      await closeServer(server);
      await rm(socket, { force: true });
    }
  }
}

function endpointOf(bridge: BackendTlsBridge): string {
  return bridge.address.includes(':')
    ? `[${bridge.address}]:${bridge.port}`
    : `${bridge.address}:${bridge.port}`;
}

/** The CAs and client certificate of a bridge, read once from the configuration's files. */
async function secureContextOf(bridge: BackendTlsBridge, confDir: string): Promise<SecureContext> {
  const ca = await readFile(join(confDir, bridge.trustedCertificatePath), 'utf8');
  const client = bridge.clientCertificate;
  return createSecureContext({
    ca,
    minVersion: 'TLSv1.2',
    ...(client === undefined
      ? {}
      : {
          cert: await readFile(join(confDir, client.certificatePath), 'utf8'),
          key: await readFile(join(confDir, client.keyPath), 'utf8'),
        }),
  });
}

/** A server on the bridge's socket (a stale file from a killed process is replaced). */
async function listen(
  bridge: BackendTlsBridge,
  secureContext: SecureContext,
  logger: Logger,
): Promise<Server> {
  await rm(bridge.socket, { force: true });
  const server = createServer((client) => relay(client, bridge, secureContext, logger));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(bridge.socket, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => logger.error({ err, socket: bridge.socket }, 'bridge socket error'));
  await chmod(bridge.socket, SOCKET_MODE);
  return server;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * One proxied connection: TLS to the endpoint, then bytes both ways. What NGINX sends before
 * the handshake ends waits in the cleartext socket's buffer (it is not read until piped).
 */
function relay(
  client: Socket,
  bridge: BackendTlsBridge,
  secureContext: SecureContext,
  logger: Logger,
): void {
  const upstream: TLSSocket = connect({
    host: bridge.address,
    port: bridge.port,
    servername: bridge.serverName,
    secureContext,
    minVersion: 'TLSv1.2',
    checkServerIdentity: (_host, certificate) => identityProblem(bridge, certificate),
  });
  upstream.setTimeout(HANDSHAKE_TIMEOUT_MS, () =>
    upstream.destroy(new Error(`no TLS handshake within ${HANDSHAKE_TIMEOUT_MS} ms`)),
  );
  upstream.once('secureConnect', () => {
    upstream.setTimeout(0);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  upstream.on('error', (err) => {
    const fields = { policy: bridge.policy, endpoint: endpointOf(bridge) };
    if (err instanceof SanMismatchError) logger.warn(fields, err.message);
    else logger.warn({ ...fields, err: err.message }, 'backend TLS connection failed');
    client.destroy();
  });
  client.on('error', () => upstream.destroy());
  client.on('close', () => upstream.destroy());
  // A backend that ended cleanly has had `client.end()` called by the pipe: let what is still
  // buffered reach NGINX. Only an abrupt close cuts the cleartext side at once.
  upstream.on('close', () => {
    if (!client.writableEnded) client.destroy();
  });
}

/** Node's identity hook: undefined accepts; an error refuses the connection. */
function identityProblem(
  bridge: BackendTlsBridge,
  certificate: PeerCertificate,
): Error | undefined {
  const result = matchSubjectAltNames(bridge.subjectAltNames, certificate.subjectaltname);
  if (result.ok) return undefined;
  const wanted = bridge.subjectAltNames.map((s) =>
    s.type === 'URI' ? `URI:${s.uri}` : `DNS:${s.hostname}`,
  );
  return new SanMismatchError(
    `backend certificate carries none of the subjectAltNames of BackendTLSPolicy ${bridge.policy} (wanted ${wanted.join(', ')}; found ${result.found.join(', ') || 'none'}); connection closed`,
  );
}
