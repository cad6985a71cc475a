/**
 * The files around the Gateways' files: `nginx.conf` (process settings, `http {}` that
 * includes every other http file, an empty `stream {}` for later), the generated default
 * servers, and the status server that lets the renderer check which version NGINX serves.
 */
import { RenderError } from './errors.ts';
import type { RenderSettings } from './settings.ts';
import {
  EMPTY_STRING,
  blank,
  block,
  comment,
  directive,
  entry,
  serialize,
  str,
  word,
  type ConfNode,
} from './syntax.ts';
import { checkPort } from './validate.ts';
import { DEFAULT_PROXY_HEADERS, DOLLAR_VARIABLE, expression, HOST_VARIABLE } from './headers.ts';

const HEADER = 'Rendered by Portico: do not edit, the renderer rewrites this directory.';
const TEMP_DIRS = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'] as const;
const USER = /^[a-z_][a-z0-9_-]{0,31}$/;

/** What nginx.conf must size its hash tables for. */
export interface MainConfInput {
  /** Files to include in `http {}`, relative to nginx.conf, in order. */
  httpIncludes: string[];
  serverNames: string[];
  variables: string[];
  /** Files to include in `stream {}` (TCP, UDP, TLS passthrough); empty: none. */
  streamIncludes?: string[];
}

/** The main nginx.conf. */
export function renderMainConf(settings: RenderSettings, input: MainConfInput): string {
  const nodes: ConfNode[] = [
    comment(HEADER),
    ...settings.modules.map((m, i) =>
      directive('load_module', pathToken(m, `settings.modules[${i}]`)),
    ),
    ...userDirective(settings.user),
    directive('worker_processes', word(workerProcesses(settings.workerProcesses))),
    directive('pid', pathToken(settings.paths.pidFile, 'settings.paths.pidFile')),
    directive(
      'error_log',
      pathToken(settings.paths.errorLog, 'settings.paths.errorLog'),
      word('notice'),
    ),
    blank,
    block('events', [], [directive('worker_connections', word(workerConnections(settings)))]),
    blank,
    block('http', [], httpBlock(settings, input)),
    blank,
    block('stream', [], streamBlock(input.streamIncludes ?? [], settings.paths.accessLog)),
  ];
  return serialize(nodes);
}

/**
 * One line per stream session when access logs are on: client address and port (behind a
 * TLS port's front, the ones the PROXY header carried), the server that took the session (a
 * port, or the unix socket of an internal server), status, bytes, duration and upstream.
 * Stream has no predefined format, and this one is ours (its `$` are meant).
 */
export const STREAM_LOG_FORMAT =
  '$remote_addr $remote_port [$time_local] $server_addr:$server_port $protocol $status ' +
  '$bytes_sent $bytes_received $session_time "$upstream_addr"';

function streamBlock(includes: string[], accessLog: string | undefined): ConfNode[] {
  if (includes.length === 0)
    return [comment('TLS passthrough, TCP and UDP routes will be rendered here.')];
  const log =
    accessLog === undefined
      ? []
      : [
          directive('log_format', word('portico_stream'), str(STREAM_LOG_FORMAT, 'log format')),
          directive(
            'access_log',
            pathToken(accessLog, 'settings.paths.accessLog'),
            word('portico_stream'),
          ),
        ];
  return [...log, ...includes.map((file) => directive('include', str(file, 'include')))];
}

function httpBlock(settings: RenderSettings, input: MainConfInput): ConfNode[] {
  const { accessLog, tempDir } = settings.paths;
  const temp = absolute(tempDir, 'settings.paths.tempDir').replace(/\/+$/, '');
  return [
    directive('default_type', word('application/octet-stream')),
    directive('server_tokens', word('off')),
    accessLog === undefined
      ? directive('access_log', word('off'))
      : directive('access_log', pathToken(accessLog, 'settings.paths.accessLog')),
    ...TEMP_DIRS.map((dir) =>
      directive(`${dir}_temp_path`, pathToken(`${temp}/${dir}`, 'settings.paths.tempDir')),
    ),
    ...hashSizes('server_names', input.serverNames),
    ...hashSizes('variables', input.variables),
    blank,
    comment('Proxying: HTTP/1.1 with a cleared Connection header keeps upstream keepalive.'),
    directive('proxy_http_version', word('1.1')),
    ...DEFAULT_PROXY_HEADERS.map(([header, value]) =>
      directive('proxy_set_header', word(header), expression(value, 'default headers')),
    ),
    comment('The Host header as the client sent it (port included), $host when it sent none.'),
    block(
      'map',
      [word('$http_host'), word(`$${HOST_VARIABLE}`)],
      [entry(EMPTY_STRING, word('$host')), entry(word('default'), word('$http_host'))],
    ),
    comment('A literal "$" for values written where NGINX expands variables (geo never does).'),
    block('geo', [word(`$${DOLLAR_VARIABLE}`)], [entry(word('default'), str('$', 'dollar'))]),
    blank,
    ...input.httpIncludes.map((file) => directive('include', str(file, 'include'))),
  ];
}

/**
 * `*_hash_max_size` and `*_hash_bucket_size` large enough for the names we write: NGINX
 * refuses to start when a hash cannot be built (10,000 virtual hosts, 250-character names).
 */
function hashSizes(prefix: 'server_names' | 'variables', names: string[]): ConfNode[] {
  const longest = names.reduce((max, n) => Math.max(max, n.length), 0);
  const bucket = Math.max(64, nextPowerOfTwo(longest + 64));
  const max = Math.max(prefix === 'variables' ? 1024 : 512, nextPowerOfTwo(names.length + 256) * 2);
  return [
    directive(`${prefix}_hash_max_size`, word(max)),
    directive(`${prefix}_hash_bucket_size`, word(bucket)),
  ];
}

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

function userDirective(user: string | undefined): ConfNode[] {
  if (user === undefined) return [];
  if (!USER.test(user)) throw new RenderError('settings.user', 'not a valid user name');
  return [directive('user', str(user, 'settings.user'))];
}

function workerConnections(settings: RenderSettings): number {
  const value = settings.workerConnections ?? 4096;
  if (!Number.isInteger(value) || value < 16 || value > 1_048_576)
    throw new RenderError('settings.workerConnections', 'must be an integer 16..1048576');
  return value;
}

function workerProcesses(value: number | 'auto'): string | number {
  if (value === 'auto') return value;
  if (!Number.isInteger(value) || value < 1 || value > 1024) {
    throw new RenderError('settings.workerProcesses', 'must be "auto" or an integer 1..1024');
  }
  return value;
}

function absolute(path: string, field: string): string {
  if (!path.startsWith('/')) throw new RenderError(field, 'must be an absolute path');
  return path;
}

function pathToken(path: string, field: string): ReturnType<typeof str> {
  return str(absolute(path, field), field, 'variables');
}

/** Default servers for ports where no Gateway has a catch-all virtual host: 404 for all. */
export function renderDefaultServers(ports: number[]): string {
  const servers = ports.flatMap((port) => [
    blank,
    block(
      'server',
      [],
      [directive('listen', word(port), word('default_server')), directive('return', word(404))],
    ),
  ]);
  return serialize([comment('Default servers: unknown Host headers get 404.'), ...servers]);
}

/** The status server: `/portico/version` returns the version, `/portico/healthz` "ok". */
export function renderStatusConf(statusListen: string, version: string): string {
  const listen = checkListen(statusListen, 'settings.statusListen');
  const text = (body: string): ConfNode[] => [
    directive('default_type', word('text/plain')),
    directive('return', word(200), str(body, 'status body', 'variables')),
  ];
  const server = block(
    'server',
    [],
    [
      directive('listen', str(listen, 'settings.statusListen')),
      directive('access_log', word('off')),
      block('location', [word('='), word('/portico/version')], text(version)),
      block('location', [word('='), word('/portico/healthz')], text('ok')),
      block('location', [word('/')], [directive('return', word(404))]),
    ],
  );
  return serialize([comment(HEADER), server]);
}

/** `host:port`, `[v6]:port` or a bare port; the host part must be an IP or `localhost`. */
function checkListen(value: string, field: string): string {
  const match = /^(?:(\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:.]+\]|localhost):)?(\d{1,5})$/.exec(
    value,
  );
  if (match === null) throw new RenderError(field, 'must be host:port, [ipv6]:port or a port');
  checkPort(Number(match[2]), field);
  return value;
}
