/**
 * A real NGINX with a TLS port shared by passthrough, terminating and HTTPS listeners, and the
 * real backends behind it: a TLS echo `secure` (certificate for pass.example.com), TCP echoes
 * and an HTTP server. The live tests of the shared port (mixed modes, client address) differ
 * only in the IR they render and what they check, so the setup and the client live here.
 */
import { chmod } from 'node:fs/promises';
import { createServer, type RequestListener, type Server } from 'node:http';
import { connect as netConnect, type AddressInfo } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { CertificateRefIR, GatewayIR, UpstreamIR, VirtualHostIR } from '@portico/ir';
import { renderNginx, type RenderSettings } from '@portico/nginx-render';
import {
  createTestCertificate,
  freePorts,
  makeTempDir,
  removeTempDir,
  startTcpEcho,
  startTlsEcho,
  type TestCertificate,
} from '@portico/testing';
import { writeCertificates } from './certificates.ts';
import { runNginx, settingsUnder, writeRendered } from './nginx.ts';

/** The terminating listeners' certificate (SANs from `terminateNames`). */
export const TLS_CERT: CertificateRefIR = {
  namespace: 'infra',
  name: 'tls-cert',
  contentHash: 'aa01',
};
/** The HTTPS listener's certificate (www.example.com). */
export const WEB_CERT: CertificateRefIR = {
  namespace: 'infra',
  name: 'web-cert',
  contentHash: 'bb02',
};

/** An upstream `name` with one endpoint on 127.0.0.1. */
export function upstream(name: string, port: number): UpstreamIR {
  return {
    name,
    service: { namespace: 'infra', name, port: 1 },
    endpoints: [{ address: '127.0.0.1', port }],
  };
}

/** The HTTPS listener's virtual host: www.example.com, everything to `upstreamName`. */
export function httpsVirtualHost(upstreamName: string): VirtualHostIR {
  return {
    hostname: 'www.example.com',
    listener: 'https',
    rules: [
      {
        id: 'web',
        source: { kind: 'HTTPRoute', namespace: 'infra', name: 'web', ruleIndex: 0, matchIndex: 0 },
        match: { path: { type: 'PathPrefix', value: '/' } },
        backends: [{ upstream: upstreamName, weight: 1 }],
      },
    ],
  };
}

export interface SharedTlsPortSpec {
  /** Prefix of the temporary directory. */
  name: string;
  portOffset: number;
  /** How many host ports the IR listens on (the status server gets one more). */
  listeners: number;
  /** SANs of TLS_CERT. */
  terminateNames: string[];
  /** Pods of the TCP echoes, one each. */
  plainPods: string[];
  /** The HTTP backend (upstream port `web`). */
  web: RequestListener;
  /** Sets `paths.accessLog` under the root (off by default, as in production). */
  accessLog?: string;
  /**
   * The IR to render: `listen` are the IR ports (host port minus the offset), `backends` the
   * ports of `secure`, of each plain pod and of `web`.
   */
  gateway(listen: number[], backends: Record<string, number>): GatewayIR;
}

export interface SharedTlsPort {
  settings: RenderSettings;
  /** The host ports of the listeners, in the order `gateway` got them. */
  ports: number[];
  stop(): Promise<void>;
}

type Stoppable = { stop(): Promise<void> };

async function startWeb(listener: RequestListener): Promise<Stoppable & { port: number }> {
  const web: Server = createServer(listener);
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  const { port } = web.address() as AddressInfo;
  return { port, stop: () => new Promise<void>((resolve) => web.close(() => resolve())) };
}

/** Starts the backends; each is pushed to `started` so a failing setup can stop it. */
async function startBackends(
  spec: SharedTlsPortSpec,
  started: Stoppable[],
): Promise<Record<string, number>> {
  const passCert = await createTestCertificate(['pass.example.com']);
  const id = (pod: string) => ({ namespace: 'infra', pod });
  const secure = await startTlsEcho(id('secure'), { cert: passCert.certPem, key: passCert.keyPem });
  started.push(secure);
  const backends: Record<string, number> = { secure: secure.port };
  for (const pod of spec.plainPods) {
    const echo = await startTcpEcho(id(pod));
    started.push(echo);
    backends[pod] = echo.port;
  }
  const web = await startWeb(spec.web);
  started.push(web);
  backends['web'] = web.port;
  return backends;
}

/** Renders `spec.gateway`, writes files and certificates, and runs NGINX on them. */
async function startNginx(
  spec: SharedTlsPortSpec,
  dirs: { root: string; sockets: string },
  backends: Record<string, number>,
  started: Stoppable[],
): Promise<{ settings: RenderSettings; ports: number[] }> {
  const free = await freePorts(spec.listeners + 1);
  const ports = free.slice(0, spec.listeners);
  const settings = settingsUnder(dirs.root, {
    portOffset: spec.portOffset,
    statusListen: `127.0.0.1:${free[spec.listeners] as number}`,
  });
  settings.paths.socketDir = dirs.sockets;
  if (spec.accessLog !== undefined) settings.paths.accessLog = `${dirs.root}/${spec.accessLog}`;
  const ir = spec.gateway(
    ports.map((p) => p - spec.portOffset),
    backends,
  );
  const result = renderNginx([ir], settings);
  if (result.warnings.length > 0) throw new Error(`render warnings: ${result.warnings.join('; ')}`);
  await writeRendered(result.files, settings);
  const [tlsCert, webCert] = await Promise.all([
    createTestCertificate(spec.terminateNames),
    createTestCertificate(['www.example.com']),
  ]);
  const byName: Record<string, TestCertificate> = { 'tls-cert': tlsCert, 'web-cert': webCert };
  await writeCertificates(result.certificates, settings, async (file) => {
    const certificate = byName[file.name];
    if (certificate === undefined) throw new Error(`no test certificate for ${file.name}`);
    return certificate;
  });
  started.push(await runNginx(settings));
  return { settings, ports };
}

/**
 * Starts backends and NGINX for `spec`; `stop()` (or a failing step) stops NGINX first, then
 * the backends, and removes the directories.
 */
export async function startSharedTlsPort(spec: SharedTlsPortSpec): Promise<SharedTlsPort> {
  const started: Stoppable[] = [];
  const dirs = { root: '', sockets: '' };
  const stop = async (): Promise<void> => {
    const [nginx, ...backends] = [...started].reverse();
    await nginx?.stop();
    await Promise.all(backends.map((b) => b.stop()));
    for (const dir of [dirs.root, dirs.sockets]) if (dir !== '') await removeTempDir(dir);
  };
  try {
    dirs.root = await makeTempDir(spec.name);
    // Workers (nobody when the tests run as root) connect to the sockets: a traversable dir.
    dirs.sockets = await makeTempDir('sockets');
    await chmod(dirs.sockets, 0o755);
    const backends = await startBackends(spec, started);
    const { settings, ports } = await startNginx(spec, dirs, backends, started);
    return { settings, ports, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export interface Exchange {
  /** What came back ('' when the handshake or connection failed). */
  data: string;
  /** Subject alternative names of the certificate the client was shown. */
  san: string;
  /** The client's source port. */
  localPort: number;
}

/**
 * A TLS exchange from `localAddress` with `servername` as SNI; sends `payload` once secure
 * and ends when the payload came back, an HTTP answer ended in a newline, or the peer closed.
 */
export function tlsExchange(
  port: number,
  servername: string,
  payload: string,
  localAddress = '127.0.0.1',
): Promise<Exchange> {
  return new Promise((resolve) => {
    const tcp = netConnect({ host: '127.0.0.1', port, localAddress });
    const socket = tlsConnect({ socket: tcp, servername, rejectUnauthorized: false });
    let data = '';
    let san = '';
    let localPort = 0;
    const done = (): void => {
      socket.destroy();
      resolve({ data, san, localPort });
    };
    socket.setTimeout(3000, done);
    socket.on('secureConnect', () => {
      localPort = tcp.localPort ?? 0;
      san = socket.getPeerCertificate().subjectaltname ?? '';
      socket.write(payload);
    });
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString();
      if (data.includes(payload) || /\r\n\r\n[\s\S]*\n$/.test(data)) done();
    });
    socket.on('error', done);
    socket.on('close', done);
    tcp.on('error', done);
  });
}
