/**
 * NGINX processes of the dataplane bench: the backends every case shares (one NGINX answering
 * HTTP/1.1, HTTPS and gRPC over h2c) and the two NGINX under test (Portico-rendered and
 * hand-written), all the same binary with one worker, all stopped when a case ends.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import {
  createTestCertificate,
  freePorts,
  runToCompletion,
  spawnManaged,
  waitFor,
} from '@portico/testing';
import type { GatewayIR } from '@portico/ir';
import type { WrkResult } from './wrk.ts';

export const NGINX = '/usr/sbin/nginx';
export const STREAM_MODULE = '/usr/lib/nginx/modules/ngx_stream_module.so';

export interface Running {
  stop(): Promise<void>;
}

/** Where the shared backends listen, and the certificate every TLS server of the bench uses. */
export interface Backends {
  /** HTTP/1.1, answers 200 "ok". */
  http: number;
  /** HTTPS (the target of TLS passthrough), answers 200 "ok". */
  tls: number;
  /** gRPC over h2c: a trailers-only answer, `grpc-status: 0`. */
  grpc: number;
  certificatePem: string;
  keyPem: string;
}

/** A whole nginx.conf around `http {}` and `stream {}` bodies, with every path under `dir`. */
export function mainConf(dir: string, blocks: { http?: string; stream?: string }): string {
  return `${blocks.stream === undefined ? '' : `load_module ${STREAM_MODULE};\n`}worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp-body;
  proxy_temp_path ${dir}/tmp-proxy;
  fastcgi_temp_path ${dir}/tmp-fcgi;
  uwsgi_temp_path ${dir}/tmp-uwsgi;
  scgi_temp_path ${dir}/tmp-scgi;
${blocks.http ?? ''}
}
${blocks.stream === undefined ? '' : `stream {\n${blocks.stream}\n}\n`}`;
}

/** Whether a TCP connection to 127.0.0.1:`port` opens. */
export function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Runs NGINX on `confPath` in the foreground until stopped; resolves once `ready` is true. */
export async function runNginx(
  prefix: string,
  confPath: string,
  ready: () => Promise<boolean>,
): Promise<Running> {
  const test = await runToCompletion(NGINX, ['-t', '-p', prefix, '-c', confPath], {
    name: 'nginx -t',
  });
  if (test.code !== 0) throw new Error(`nginx -t failed:\n${test.output}`);
  const master = spawnManaged(NGINX, ['-p', prefix, '-c', confPath, '-g', 'daemon off;'], {
    name: 'nginx',
  });
  try {
    await waitFor(async () => ((await ready()) ? true : undefined), {
      timeoutMs: 10_000,
      description: `nginx of ${confPath}`,
    });
  } catch (error) {
    await master.stop({ signal: 'SIGQUIT', timeoutMs: 5000 });
    throw error;
  }
  return { stop: () => master.stop({ signal: 'SIGQUIT', timeoutMs: 5000 }).then(() => undefined) };
}

/** The shared backends: one NGINX, one worker, three servers. */
export async function startBackends(root: string): Promise<Backends & Running> {
  const dir = join(root, 'backend');
  await mkdir(dir, { recursive: true });
  const [http = 0, tls = 0, grpc = 0] = await freePorts(3);
  const { certPem, keyPem } = await createTestCertificate(['bench.example', '*.bench.example']);
  await writeFile(join(dir, 'tls.crt'), certPem);
  await writeFile(join(dir, 'tls.key'), keyPem, { mode: 0o600 });
  const body = `
  keepalive_requests 1000000;
  server { listen 127.0.0.1:${http} reuseport; location / { return 200 "ok\\n"; } }
  server {
    listen 127.0.0.1:${tls} ssl;
    ssl_certificate ${dir}/tls.crt;
    ssl_certificate_key ${dir}/tls.key;
    location / { return 200 "ok\\n"; }
  }
  server {
    listen 127.0.0.1:${grpc} http2;
    location / { default_type application/grpc; add_header grpc-status 0; return 200; }
  }`;
  const conf = join(dir, 'nginx.conf');
  await writeFile(conf, mainConf(dir, { http: body }));
  const running = await runNginx(dir, conf, () => tcpOpen(http));
  return { http, tls, grpc, certificatePem: certPem, keyPem, ...running };
}

/**
 * One measured case: the same traffic through a Portico-rendered config and through a
 * hand-written minimal one. `handWritten` may name `${dir}/tls.crt` and `${dir}/tls.key` (the
 * bench certificate, written there before NGINX starts).
 */
export interface Case {
  name: string;
  describe: string;
  /** The listener port the IR declares; the bench moves it onto a free port (port offset). */
  irPort: number;
  ir(backends: Backends): GatewayIR;
  handWritten(listen: number, backends: Backends, dir: string): { http?: string; stream?: string };
  /** Drives `port` for `seconds`; `dir` is scratch space for the load tool. */
  load(port: number, seconds: number, dir: string): Promise<WrkResult>;
}
