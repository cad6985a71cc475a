/**
 * `npm run bench -- dataplane`: requests per second and latency through a Portico-rendered
 * NGINX config, each next to a hand-written minimal config for the same traffic on the same
 * NGINX binary, as a ratio. Cases: HTTP (one path route; method+header+query match; 1,000
 * routes), TLS termination, TLS passthrough, TCP and gRPC (dataplane-http.ts,
 * dataplane-l4.ts).
 *
 * Setup per measurement: shared backends (one NGINX, one worker), the NGINX under test (one
 * worker, upstream keepalive), and the load tool (one thread, 50 connections: wrk, or h2load
 * for gRPC). Each side is measured `BENCH_ROUNDS` times, alternating, `BENCH_SECONDS` each
 * after a warm-up; the median round is reported. `BENCH_SCENARIO=<name>` runs one case. The
 * machine is shared: read ratios, not absolute numbers; the load average is printed with
 * every case. One JSON object per case on stdout; progress on stderr.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { renderNginx, type RenderSettings } from '@portico/nginx-render';
import { freePorts, httpRequest, makeTempDir, removeTempDir } from '@portico/testing';
import { HTTP_CASES } from './dataplane-http.ts';
import { L4_AND_GRPC_CASES } from './dataplane-l4.ts';
import {
  mainConf,
  runNginx,
  STREAM_MODULE,
  startBackends,
  tcpOpen,
  type Backends,
  type Case,
  type Running,
} from './dataplane-nginx.ts';
import { CONNECTIONS } from './load.ts';
import { summariseRuns, type WrkResult } from './wrk.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CASES: Case[] = [...HTTP_CASES, ...L4_AND_GRPC_CASES];

function emit(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function progress(message: string): void {
  process.stderr.write(`dataplane: ${message}\n`);
}

async function put(path: string, contents: string, mode = 0o644): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, contents, { mode });
}

/** The Portico side: renderNginx's files and certificates, as the renderer writes them. */
async function startPortico(
  root: string,
  item: Case,
  backends: Backends,
  listen: number,
  statusPort: number,
): Promise<Running> {
  const dir = join(root, `portico-${item.name}`);
  const settings: RenderSettings = {
    portOffset: listen - item.irPort,
    statusListen: `127.0.0.1:${statusPort}`,
    paths: {
      prefix: dir,
      confDir: join(dir, 'conf'),
      pidFile: join(dir, 'nginx.pid'),
      errorLog: join(dir, 'error.log'),
      tempDir: join(dir, 'temp'),
    },
    // The rendered nginx.conf always has a stream {} block; no njs (the renderer loads none).
    modules: [STREAM_MODULE],
    workerProcesses: 1,
  };
  const rendered = renderNginx([item.ir(backends)], settings);
  for (const file of rendered.files)
    await put(join(settings.paths.confDir, file.path), file.contents);
  for (const file of rendered.certificates) {
    await put(join(settings.paths.confDir, file.certificatePath), backends.certificatePem, 0o600);
    await put(join(settings.paths.confDir, file.keyPath), backends.keyPem, 0o600);
  }
  await mkdir(settings.paths.tempDir, { recursive: true });
  const status = `http://127.0.0.1:${statusPort}/portico/healthz`;
  return runNginx(dir, join(settings.paths.confDir, 'nginx.conf'), async () =>
    (await httpRequest(status).catch(() => undefined)) !== undefined ? tcpOpen(listen) : false,
  );
}

async function startHandWritten(
  root: string,
  item: Case,
  backends: Backends,
  listen: number,
): Promise<Running> {
  const dir = join(root, `hand-${item.name}`);
  await put(join(dir, 'tls.crt'), backends.certificatePem, 0o600);
  await put(join(dir, 'tls.key'), backends.keyPem, 0o600);
  const conf = join(dir, 'nginx.conf');
  await put(conf, mainConf(dir, item.handWritten(listen, backends, dir)));
  return runNginx(dir, conf, () => tcpOpen(listen));
}

async function measure(item: Case, root: string, backends: Backends): Promise<void> {
  const [porticoPort = 0, handPort = 0, statusPort = 0] = await freePorts(3);
  const scratch = join(root, `load-${item.name}`);
  await mkdir(scratch, { recursive: true });
  const portico = await startPortico(root, item, backends, porticoPort, statusPort);
  const hand = await startHandWritten(root, item, backends, handPort).catch(async (error) => {
    await portico.stop();
    throw error;
  });
  try {
    const runs: { portico: WrkResult[]; hand: WrkResult[] } = { portico: [], hand: [] };
    await item.load(porticoPort, 1, scratch);
    await item.load(handPort, 1, scratch);
    for (let round = 0; round < ROUNDS; round++) {
      runs.hand.push(await item.load(handPort, SECONDS, scratch));
      runs.portico.push(await item.load(porticoPort, SECONDS, scratch));
      progress(`${item.name} round ${round + 1}/${ROUNDS}`);
    }
    const p = summariseRuns(runs.portico);
    const h = summariseRuns(runs.hand);
    if (p.non2xx > 0 || h.non2xx > 0)
      throw new Error(`${item.name}: non-2xx answers (portico ${p.non2xx}, hand ${h.non2xx})`);
    emit({
      bench: 'dataplane',
      scenario: item.name,
      describe: item.describe,
      portico: p,
      handWritten: h,
      ratio: Math.round((p.rps / h.rps) * 1000) / 1000,
      loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
      setup: { connections: CONNECTIONS, seconds: SECONDS, rounds: ROUNDS, workers: 1 },
    });
  } finally {
    await portico.stop();
    await hand.stop();
  }
}

export async function runDataplane(): Promise<void> {
  const root = await makeTempDir('bench-dataplane');
  const only = process.env.BENCH_SCENARIO;
  if (only !== undefined && !CASES.some((c) => c.name === only))
    throw new Error(`BENCH_SCENARIO: no case ${only} (${CASES.map((c) => c.name).join(', ')})`);
  const backends = await startBackends(root);
  try {
    for (const item of CASES) {
      if (only !== undefined && only !== item.name) continue;
      progress(`${item.name}: ${item.describe}`);
      await measure(item, root, backends);
    }
  } finally {
    await backends.stop();
    await removeTempDir(root);
  }
}
