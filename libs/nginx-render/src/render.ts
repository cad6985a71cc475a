/**
 * renderNginx: Gateway IRs in, a complete NGINX configuration out. Pure: no I/O, no clock;
 * equal input gives byte-equal files whatever order the Gateways come in.
 */
import { createHash } from 'node:crypto';
import { IR_SCHEMA_VERSION, type GatewayIR } from '@portico/ir';
import type { BackendTlsBridge } from './backend-tls-bridge.ts';
import { RenderError } from './errors.ts';
import { gatewayFilePath, renderGatewayFile } from './gateway-file.ts';
import { renderMainConf, renderStatusConf } from './main-conf.ts';
import { planServers } from './plan.ts';
import { renderDefaultsFile, type CertificateFile, type TlsPort } from './tls.ts';
import { frontedPorts, type HttpsBehind } from './stream-tls.ts';
import type { RenderSettings } from './settings.ts';
import { checkK8sName } from './validate.ts';
import { renderStreamFile, STREAM_FILE } from './stream.ts';
import {
  H2C_SCRIPT,
  H2C_SCRIPT_FILE,
  H2C_STREAM_FILE,
  h2cDefaultServers,
  h2cFronts,
  h2cStreamNodes,
  withH2cFronts,
  withStreamJs,
  type H2cFront,
} from './stream-h2c.ts';
import { serialize } from './syntax.ts';

/** One file to write, `path` relative to `settings.paths.confDir`. */
export interface RenderedFile {
  path: string;
  contents: string;
  mode: number;
}

export interface RenderResult {
  /** Every file of the configuration, sorted by path. */
  files: RenderedFile[];
  /** Content hash of every file but the status file; the status server returns it. */
  version: string;
  /** Things left out on purpose (e.g. a host already served on a port by another Gateway). */
  warnings: string[];
  /**
   * Certificate files the configuration names (paths relative to `confDir`), sorted by path.
   * Not in `files`: key material never passes through the pure core (invariant 6); the
   * renderer service reads each Secret and writes them, mode 0600, beside nginx.conf.
   */
  certificates: CertificateFile[];
  /**
   * Sockets the renderer service must serve before NGINX loads this configuration: its
   * backend TLS bridge (backend-tls-bridge.ts), sorted by socket path, one per socket.
   */
  backendTlsBridges: BackendTlsBridge[];
}

/** The main file NGINX is started with. */
export const MAIN_FILE = 'nginx.conf';
/** The status server's file: it carries the version, so it is not part of the version. */
export const STATUS_FILE = 'status.conf';
/** SNI maps of TLS ports, and generated default servers for ports without a catch-all host. */
export const DEFAULTS_FILE = 'http/default-servers.conf';

const FILE_MODE = 0o644;

/** Renders the NGINX configuration of every Gateway this data plane serves. */
export function renderNginx(gateways: GatewayIR[], settings: RenderSettings): RenderResult {
  const sorted = sortGateways(gateways);
  const fields = sorted.map(({ index }) => `gateways[${index}]`);
  const irs = sorted.map(({ ir }) => ir);
  const socketDir = settings.paths.socketDir ?? settings.paths.tempDir;
  const fronted = frontedPorts(irs, settings.portOffset, socketDir);
  const plan = planServers(irs, fields, settings.portOffset, fronted);
  const h2c = h2cFronts(irs, plan.servers, socketDir);
  const servers = withH2cFronts(plan.servers, h2c);
  const gatewayFiles = irs.map((ir, i) => {
    const rendered = renderGatewayFile(ir, servers[i] ?? [], fields[i] ?? '', socketDir);
    return { path: gatewayFilePath(ir.gateway), ...rendered };
  });
  const httpIncludes = [DEFAULTS_FILE, ...gatewayFiles.map((f) => f.path), STATUS_FILE];
  const httpPorts = new Set(plan.servers.flatMap((servers) => servers.map((s) => s.port)));
  const stream = renderStreamFile(
    irs.map((ir, i) => ({ ir, field: fields[i] ?? '' })),
    settings.portOffset,
    httpPorts,
    { socketDir, https: httpsBehind(fronted, plan.tlsPorts) },
  );
  const streamIncludes = [
    ...(stream === undefined ? [] : [STREAM_FILE]),
    ...(h2c.length === 0 ? [] : [H2C_STREAM_FILE]),
  ];
  const modules = h2c.length === 0 ? settings.modules : withStreamJs(settings.modules);
  const main = renderMainConf(
    { ...settings, modules },
    {
      httpIncludes,
      ...(streamIncludes.length === 0 ? {} : { streamIncludes }),
      serverNames: plan.serverNames,
      variables: gatewayFiles.flatMap((f) => f.variables),
    },
  );
  const files: RenderedFile[] = [
    file(MAIN_FILE, main),
    file(DEFAULTS_FILE, defaultsFile(plan.uncoveredPorts, plan.tlsPorts, h2c)),
    ...gatewayFiles.map((f) => file(f.path, f.contents)),
    ...(stream === undefined ? [] : [file(STREAM_FILE, stream.contents)]),
    ...(h2c.length === 0
      ? []
      : [file(H2C_STREAM_FILE, serialize(h2cStreamNodes(h2c))), file(H2C_SCRIPT_FILE, H2C_SCRIPT)]),
  ];
  const version = versionOf(files);
  files.push(file(STATUS_FILE, renderStatusConf(settings.statusListen, version)));
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const warnings = [...plan.warnings, ...(stream?.warnings ?? [])];
  const certificates = new Map(
    [
      ...plan.certificates,
      ...gatewayFiles.flatMap((f) => f.certificates),
      ...(stream?.certificates ?? []),
    ].map((c) => [c.certificatePath, c]),
  );
  const bridges = new Map(gatewayFiles.flatMap((f) => [...f.bridges]));
  return {
    files,
    version,
    warnings,
    backendTlsBridges: [...bridges.keys()].sort().flatMap((socket) => {
      const bridge = bridges.get(socket);
      return bridge === undefined ? [] : [bridge];
    }),
    certificates: [...certificates.values()].sort((a, b) =>
      a.certificatePath < b.certificatePath ? -1 : 1,
    ),
  };
}

/**
 * The default servers file; fronted h2c ports without a catch-all get their 404 servers on
 * the front's sockets (stream-h2c.ts) instead of on the port, which the front owns.
 */
function defaultsFile(
  uncoveredPorts: readonly number[],
  tlsPorts: TlsPort[],
  h2c: readonly H2cFront[],
): string {
  const fronted = new Set(h2c.map((f) => f.port));
  const base = renderDefaultsFile(
    uncoveredPorts.filter((p) => !fronted.has(p)),
    tlsPorts,
  );
  const behind = h2c.filter((f) => uncoveredPorts.includes(f.port));
  return behind.length === 0 ? base : base + serialize(h2cDefaultServers(behind));
}

/** The HTTPS servers each fronted port's TLS stream server routes to. */
function httpsBehind(
  fronted: ReadonlyMap<number, string>,
  tlsPorts: readonly TlsPort[],
): Map<number, HttpsBehind> {
  const behind = new Map<number, HttpsBehind>();
  for (const tlsPort of tlsPorts) {
    const socket = fronted.get(tlsPort.port);
    if (socket === undefined) continue;
    const hostnames = [...tlsPort.listeners.keys()].sort();
    behind.set(tlsPort.port, { socket, upstream: `portico_https_${tlsPort.port}`, hostnames });
  }
  return behind;
}

/**
 * First 16 hex digits of a SHA-256 over every file's path, mode, length and contents, fed in
 * pieces: 10,000 virtual hosts make ~9 MB of config, too much to copy into one JSON string.
 */
function versionOf(files: RenderedFile[]): string {
  const hash = createHash('sha256');
  for (const f of files) {
    hash.update(`${f.path}\0${f.mode}\0${Buffer.byteLength(f.contents)}\0`).update(f.contents);
  }
  return hash.digest('hex').slice(0, 16);
}

function file(path: string, contents: string): RenderedFile {
  return { path, contents, mode: FILE_MODE };
}

/** Checks each Gateway's identity and sorts by namespace/name; a repeated Gateway is an error. */
function sortGateways(gateways: GatewayIR[]): { ir: GatewayIR; index: number }[] {
  const keyed = gateways.map((ir, index) => {
    const field = `gateways[${index}]`;
    if (ir.schemaVersion !== IR_SCHEMA_VERSION) {
      throw new RenderError(
        `${field}.schemaVersion`,
        `unknown IR schema ${String(ir.schemaVersion)}`,
      );
    }
    const ns = checkK8sName(ir.gateway.namespace, `${field}.gateway.namespace`);
    const name = checkK8sName(ir.gateway.name, `${field}.gateway.name`);
    return { ir, index, key: `${ns}/${name}` };
  });
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  keyed.forEach((k, i) => {
    if (i > 0 && keyed[i - 1]?.key === k.key) {
      throw new RenderError(`gateways[${k.index}].gateway`, `Gateway ${k.key} given twice`);
    }
  });
  return keyed;
}
