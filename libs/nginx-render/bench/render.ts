/**
 * Timing of renderNginx on a large input (not a test; prints JSON). 10,000 virtual hosts with
 * 3 rules each (one weighted) over 100 upstreams, the size the architecture page measures
 * `nginx -t` at. Run: `node libs/nginx-render/bench/render.ts [vhosts] [outDir]` from the
 * repository root; with outDir the files are written there for a manual `nginx -t`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { GatewayIR, HttpRuleIR } from '@portico/ir';
import { renderNginx } from '@portico/nginx-render';

const vhosts = Number(process.argv[2] ?? 10000);
const outDir = process.argv[3];
const UPSTREAMS = 100;

function rules(i: number): HttpRuleIR[] {
  const source = {
    kind: 'HTTPRoute' as const,
    namespace: 'bench',
    name: `route-${i}`,
    matchIndex: 0,
  };
  const up = (k: number): string => `bench__svc${(i + k) % UPSTREAMS}__80`;
  return [
    {
      id: `r${i}_0`,
      source: { ...source, ruleIndex: 0 },
      match: { path: { type: 'Exact', value: '/healthz' } },
      backends: [{ upstream: up(0), weight: 1 }],
    },
    {
      id: `r${i}_1`,
      source: { ...source, ruleIndex: 1 },
      match: { path: { type: 'PathPrefix', value: '/api' } },
      backends: [
        { upstream: up(1), weight: 9 },
        { upstream: up(2), weight: 1 },
      ],
    },
    {
      id: `r${i}_2`,
      source: { ...source, ruleIndex: 2 },
      match: { path: { type: 'PathPrefix', value: '/' } },
      backends: [{ upstream: up(3), weight: 1 }],
    },
  ];
}

const longLabel = 'x'.repeat(60);
const ir: GatewayIR = {
  schemaVersion: 2,
  gateway: { namespace: 'bench', name: 'big' },
  httpServers: [
    {
      port: 8080,
      protocol: 'HTTP',
      virtualHosts: Array.from({ length: vhosts }, (_, i) => ({
        hostname:
          i % 100 === 0
            ? `h${i}.${longLabel}.${longLabel}.${longLabel}.example.com`
            : `host-${i}.example.com`,
        rules: rules(i),
      })).sort((a, b) => (a.hostname < b.hostname ? -1 : 1)),
    },
  ],
  upstreams: Array.from({ length: UPSTREAMS }, (_, k) => ({
    name: `bench__svc${k}__80`,
    service: { namespace: 'bench', name: `svc${k}`, port: 80 },
    endpoints: [
      { address: `10.0.${k}.1`, port: 8080 },
      { address: `10.0.${k}.2`, port: 8080 },
    ],
  })).sort((a, b) => (a.name < b.name ? -1 : 1)),
};

const root = outDir ?? '/tmp/portico-bench';
const settings = {
  portOffset: 0,
  statusListen: '127.0.0.1:9901',
  paths: {
    prefix: root,
    confDir: root,
    pidFile: `${root}/nginx.pid`,
    errorLog: `${root}/error.log`,
    tempDir: `${root}/temp`,
  },
  modules: ['/usr/lib/nginx/modules/ngx_stream_module.so'],
  workerProcesses: 1,
};
renderNginx(ir.httpServers[0] ? [ir] : [], settings); // warm-up
const runs = 3;
const start = performance.now();
let result = renderNginx([ir], settings);
for (let i = 1; i < runs; i++) result = renderNginx([ir], settings);
const ms = (performance.now() - start) / runs;
const bytes = result.files.reduce((n, f) => n + f.contents.length, 0);
console.log(
  JSON.stringify({
    bench: 'renderNginx',
    vhosts,
    rules: vhosts * 3,
    msPerRender: Math.round(ms),
    bytes,
  }),
);
if (outDir !== undefined) {
  for (const f of result.files) {
    mkdirSync(dirname(join(outDir, f.path)), { recursive: true });
    writeFileSync(join(outDir, f.path), f.contents);
  }
  mkdirSync(join(outDir, 'temp'), { recursive: true });
}
