/**
 * `npm run bench -- dataplane`: requests per second and latency through a Portico-rendered
 * NGINX config, each next to a hand-written minimal config for the same routing on the same
 * NGINX binary, as a ratio. Scenarios: (a) one path route; (b) one route matching method,
 * header and query parameter (the map dispatch); (c) 1,000 routes on one listener, each on
 * its own Service.
 *
 * Setup per measurement: a backend NGINX answering 200 (one worker), the NGINX under test
 * (one worker, upstream keepalive), and `wrk` (one thread, 50 connections). Each side is
 * measured `BENCH_ROUNDS` times, alternating, `BENCH_SECONDS` each after a warm-up; the
 * median round is reported. The machine is shared: read ratios, not absolute numbers.
 * One JSON object per scenario on stdout; progress on stderr.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GatewayIR, HttpRuleIR } from '@portico/ir';
import { renderNginx, type RenderSettings } from '@portico/nginx-render';
import {
  freePorts,
  httpRequest,
  makeTempDir,
  removeTempDir,
  runToCompletion,
  spawnManaged,
  waitFor,
} from '@portico/testing';
import { summariseRuns, type WrkResult } from './wrk.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 50;
const ROUTES = 1000;
const NGINX = '/usr/sbin/nginx';

interface Scenario {
  name: string;
  describe: string;
  /** The request wrk sends: path and headers. */
  path: string;
  headers: Record<string, string>;
  ir(backendPort: number): GatewayIR;
  /** The `server` and `upstream` blocks of the hand-written config. */
  handWritten(listen: number, backendPort: number): string;
}

function emit(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function progress(message: string): void {
  process.stderr.write(`dataplane: ${message}\n`);
}

function rule(id: string, name: string, match: HttpRuleIR['match'], upstream: string): HttpRuleIR {
  return {
    id,
    source: { kind: 'HTTPRoute', namespace: 'bench', name, ruleIndex: 0, matchIndex: 0 },
    match,
    backends: [{ upstream, weight: 1 }],
  };
}

function gateway(rules: HttpRuleIR[], upstreams: string[], backendPort: number): GatewayIR {
  return {
    schemaVersion: 1,
    gateway: { namespace: 'bench', name: 'gw' },
    httpServers: [{ port: 80, protocol: 'HTTP', virtualHosts: [{ hostname: '*', rules }] }],
    upstreams: upstreams.map((name) => ({
      name,
      service: { namespace: 'bench', name, port: 80 },
      endpoints: [{ address: '127.0.0.1', port: backendPort }],
    })),
  };
}

const upstreamBlock = (name: string, port: number) =>
  `upstream ${name} { server 127.0.0.1:${port}; keepalive 16; }`;
const proxy = (upstream: string) =>
  `proxy_pass http://${upstream}; proxy_http_version 1.1; proxy_set_header Connection "";`;

const SCENARIOS: Scenario[] = [
  {
    name: 'one-path-route',
    describe: 'one PathPrefix route',
    path: '/app/items',
    headers: {},
    ir: (port) =>
      gateway(
        [rule('r1', 'app', { path: { type: 'PathPrefix', value: '/app' } }, 'bench__app__80')],
        ['bench__app__80'],
        port,
      ),
    handWritten: (listen, port) =>
      `${upstreamBlock('app', port)}
server { listen ${listen}; location /app { ${proxy('app')} } location / { return 404; } }`,
  },
  {
    name: 'method-header-query',
    describe: 'one route matching method GET, header x-env: prod and query v=2',
    path: '/app/items?v=2',
    headers: { 'x-env': 'prod' },
    ir: (port) =>
      gateway(
        [
          rule(
            'r1',
            'app',
            {
              path: { type: 'PathPrefix', value: '/app' },
              method: 'GET',
              headers: [{ name: 'x-env', type: 'Exact', value: 'prod' }],
              queryParams: [{ name: 'v', type: 'Exact', value: '2' }],
            },
            'bench__app__80',
          ),
        ],
        ['bench__app__80'],
        port,
      ),
    handWritten: (listen, port) =>
      `${upstreamBlock('app', port)}
server {
  listen ${listen};
  location /app {
    if ($request_method != GET) { return 404; }
    if ($http_x_env != "prod") { return 404; }
    if ($arg_v != "2") { return 404; }
    ${proxy('app')}
  }
  location / { return 404; }
}`,
  },
  {
    name: '1000-routes',
    describe: `${ROUTES} routes (PathPrefix /route-<i>, one Service each) on one listener`,
    path: `/route-${ROUTES / 2}/items`,
    headers: {},
    ir: (port) => {
      const names = Array.from({ length: ROUTES }, (_, i) => `bench__svc_${i}__80`);
      const rules = names.map((upstream, i) =>
        rule(
          `r${i}`,
          `route-${i}`,
          { path: { type: 'PathPrefix', value: `/route-${i}` } },
          upstream,
        ),
      );
      // The graph orders rules by precedence: longer prefixes first.
      rules.sort((a, b) => b.match.path.value.length - a.match.path.value.length);
      return gateway(rules, [...names].sort(), port);
    },
    handWritten: (listen, port) => {
      const blocks = Array.from({ length: ROUTES }, (_, i) => upstreamBlock(`svc_${i}`, port));
      const locations = Array.from(
        { length: ROUTES },
        (_, i) => `  location /route-${i} { ${proxy(`svc_${i}`)} }`,
      );
      return `${blocks.join('\n')}
server {
  listen ${listen};
${locations.join('\n')}
  location / { return 404; }
}`;
    },
  },
];

/** A whole nginx.conf around an `http {}` body, with every path under `dir`. */
function mainConf(dir: string, http: string): string {
  return `worker_processes 1;
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
${http}
}
`;
}

interface Running {
  stop(): Promise<void>;
}

/** Runs NGINX on `confPath` in the foreground until stopped; resolves once `probe` answers. */
async function runNginx(prefix: string, confPath: string, probeUrl: string): Promise<Running> {
  const test = await runToCompletion(NGINX, ['-t', '-p', prefix, '-c', confPath], {
    name: 'nginx -t',
  });
  if (test.code !== 0) throw new Error(`nginx -t failed:\n${test.output}`);
  const master = spawnManaged(NGINX, ['-p', prefix, '-c', confPath, '-g', 'daemon off;'], {
    name: 'nginx',
  });
  await waitFor(async () => (await httpRequest(probeUrl).catch(() => undefined))?.status, {
    timeoutMs: 10_000,
    description: `nginx on ${probeUrl}`,
  });
  return {
    stop: async () => {
      await master.stop({ signal: 'SIGQUIT', timeoutMs: 5000 });
    },
  };
}

async function startBackend(root: string, port: number): Promise<Running> {
  const dir = join(root, 'backend');
  await mkdir(dir, { recursive: true });
  const conf = join(dir, 'nginx.conf');
  const body = `server { listen 127.0.0.1:${port} reuseport; keepalive_requests 100000; location / { return 200 "ok\\n"; } }`;
  await writeFile(conf, mainConf(dir, body));
  return runNginx(dir, conf, `http://127.0.0.1:${port}/`);
}

/** The Portico side: renderNginx's files, as the renderer writes them. */
async function startPortico(
  root: string,
  scenario: Scenario,
  backendPort: number,
  listen: number,
  statusPort: number,
): Promise<Running> {
  const dir = join(root, `portico-${scenario.name}`);
  const settings: RenderSettings = {
    portOffset: listen - 80,
    statusListen: `127.0.0.1:${statusPort}`,
    paths: {
      prefix: dir,
      confDir: join(dir, 'conf'),
      pidFile: join(dir, 'nginx.pid'),
      errorLog: join(dir, 'error.log'),
      tempDir: join(dir, 'temp'),
    },
    // The rendered nginx.conf always has a stream {} block; no njs (the renderer loads none).
    modules: ['/usr/lib/nginx/modules/ngx_stream_module.so'],
    workerProcesses: 1,
  };
  const rendered = renderNginx([scenario.ir(backendPort)], settings);
  for (const file of rendered.files) {
    const path = join(settings.paths.confDir, file.path);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, file.contents);
  }
  await mkdir(settings.paths.tempDir, { recursive: true });
  return runNginx(
    dir,
    join(settings.paths.confDir, 'nginx.conf'),
    `http://127.0.0.1:${statusPort}/portico/healthz`,
  );
}

async function startHandWritten(
  root: string,
  scenario: Scenario,
  backendPort: number,
  listen: number,
): Promise<Running> {
  const dir = join(root, `hand-${scenario.name}`);
  await mkdir(dir, { recursive: true });
  const conf = join(dir, 'nginx.conf');
  await writeFile(conf, mainConf(dir, scenario.handWritten(listen, backendPort)));
  return runNginx(dir, conf, `http://127.0.0.1:${listen}/`);
}

async function wrk(scenario: Scenario, port: number, seconds: number): Promise<WrkResult> {
  const headers = Object.entries(scenario.headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  const args = ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', ...headers];
  const url = `http://127.0.0.1:${port}${scenario.path}`;
  const run = await runToCompletion('wrk', [...args, url], {
    name: 'wrk',
    timeoutMs: (seconds + 30) * 1000,
  });
  if (run.code !== 0) throw new Error(`wrk failed:\n${run.output}`);
  return parseWrk(run.output);
}

/** Requests/s, p50 and p99 (ms) and non-2xx answers from wrk's `--latency` output. */
export function parseWrk(output: string): WrkResult {
  const number = (re: RegExp) => {
    const m = re.exec(output);
    if (m === null) throw new Error(`wrk output without ${re}:\n${output}`);
    return m;
  };
  const scale: Record<string, number> = { us: 0.001, ms: 1, s: 1000 };
  const ms = (value: string, unit: string) => Number(value) * (scale[unit] ?? 1);
  const p50 = number(/^\s+50%\s+([\d.]+)(us|ms|s)$/m);
  const p99 = number(/^\s+99%\s+([\d.]+)(us|ms|s)$/m);
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(output);
  return {
    rps: Number(number(/^Requests\/sec:\s+([\d.]+)/m)[1]),
    p50Ms: ms(p50[1] ?? '0', p50[2] ?? 'ms'),
    p99Ms: ms(p99[1] ?? '0', p99[2] ?? 'ms'),
    non2xx: errors === null ? 0 : Number(errors[1]),
  };
}

async function measure(scenario: Scenario, root: string, backendPort: number): Promise<void> {
  const [porticoPort = 0, handPort = 0, statusPort = 0] = await freePorts(3);
  const portico = await startPortico(root, scenario, backendPort, porticoPort, statusPort);
  const hand = await startHandWritten(root, scenario, backendPort, handPort);
  try {
    const runs: { portico: WrkResult[]; hand: WrkResult[] } = { portico: [], hand: [] };
    await wrk(scenario, porticoPort, 1);
    await wrk(scenario, handPort, 1);
    for (let round = 0; round < ROUNDS; round++) {
      runs.hand.push(await wrk(scenario, handPort, SECONDS));
      runs.portico.push(await wrk(scenario, porticoPort, SECONDS));
      progress(`${scenario.name} round ${round + 1}/${ROUNDS}`);
    }
    const p = summariseRuns(runs.portico);
    const h = summariseRuns(runs.hand);
    emit({
      bench: 'dataplane',
      scenario: scenario.name,
      describe: scenario.describe,
      portico: p,
      handWritten: h,
      ratio: Math.round((p.rps / h.rps) * 1000) / 1000,
      setup: { connections: CONNECTIONS, seconds: SECONDS, rounds: ROUNDS, workers: 1 },
    });
  } finally {
    await portico.stop();
    await hand.stop();
  }
}

export async function runDataplane(): Promise<void> {
  const root = await makeTempDir('bench-dataplane');
  const [backendPort = 0] = await freePorts(1);
  const backend = await startBackend(root, backendPort);
  try {
    const only = process.env.BENCH_SCENARIO;
    for (const scenario of SCENARIOS) {
      if (only !== undefined && only !== scenario.name) continue;
      progress(`${scenario.name}: ${scenario.describe}`);
      await measure(scenario, root, backendPort);
    }
  } finally {
    await backend.stop();
    await removeTempDir(root);
  }
}
