/**
 * The floor under the propagation figures: what the same NGINX binary needs, with no Portico
 * at all, to serve one more virtual host beside `present` others. A hand-written config of one
 * `server` block per host (as Portico renders them), then per change: write the file with one
 * more host, `nginx -t`, SIGHUP, poll until the new host answers 200; remove it the same way
 * until it answers 404. Portico's own cost per change is its figure minus this one.
 */
import { currentGeneration, retireOldWorkers } from '@portico/renderer/worker-handover';
import { freePorts, startNginx } from '@portico/testing';
import { waitForStatus } from './probe.ts';
import { summarise, type LatencySummary } from './stats.ts';

const TIMEOUT_MS = 30_000;

/**
 * The malloc settings the renderer gives NGINX (services/renderer/src/nginx-process.ts), so the
 * floor is the same binary run the same way: fresh mappings for the master's 16 KiB pool blocks,
 * transparent huge pages for `nginx -t`. A hand-tuned deployment would set them too.
 */
const MASTER_ENV = { MALLOC_MMAP_THRESHOLD_: '8192' };
const TEST_ENV = { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' };

function server(listen: number, host: string): string {
  return `server { listen ${listen}; server_name "${host}"; location ^~ "/" { proxy_pass http://backend; } }`;
}

function httpBody(listen: number, backend: number, hosts: readonly string[]): string {
  return [
    `upstream backend { server 127.0.0.1:${backend}; keepalive 16; }`,
    `server { listen 127.0.0.1:${backend}; location / { return 200 "ok"; } }`,
    `server { listen ${listen} default_server; return 404; }`,
    ...hosts.map((host) => server(listen, host)),
  ].join('\n');
}

export interface FloorResult {
  add: LatencySummary;
  remove: LatencySummary;
}

/**
 * `changes` single adds and removes with `present` hosts already served; `hostOf` names the
 * hosts like the Portico measurement does. NGINX runs with 2 workers, as the data plane's
 * `worker_processes auto` does on this machine. With `earlyHandover` the old workers are
 * retired as soon as the new ones are ready, as the renderer does by default; without it NGINX
 * does it after its own 100 ms pause, as with a plain `nginx -s reload`.
 */
export async function measureNginxFloor(
  present: number,
  changes: number,
  hostOf: (name: string) => string,
  earlyHandover: boolean,
): Promise<FloorResult> {
  const [listen, backend] = (await freePorts(2)) as [number, number];
  const base = Array.from({ length: present }, (_, i) => hostOf(`floor-${i}`));
  // Only the module Portico's rendered config loads here: ngx_http_js_module (in the test
  // default) makes every server block dearer to parse (`nginx -t` 0.47 s instead of 0.13 s
  // with 1,000 hosts), which made this "floor" slower than Portico.
  const nginx = await startNginx({
    workerProcesses: 2,
    modules: ['/usr/lib/nginx/modules/ngx_stream_module.so'],
    masterEnv: MASTER_ENV,
    testEnv: TEST_ENV,
    http: httpBody(listen, backend, base),
  });
  const apply = async (hosts: string[]) => {
    await nginx.configure({ http: httpBody(listen, backend, hosts) });
    const result = await nginx.test();
    if (!result.ok) throw new Error(`hand-written config refused: ${result.output}`);
    const old = currentGeneration(nginx.pid);
    process.kill(nginx.pid, 'SIGHUP');
    if (earlyHandover) void retireOldWorkers(nginx.pid, old, { timeoutMs: 5_000 });
  };
  const adds: number[] = [];
  const removes: number[] = [];
  try {
    for (let i = 0; i < changes; i++) {
      const host = hostOf(`floor-probe-${i}`);
      const added = performance.now();
      await apply([...base, host]);
      await waitForStatus(listen, host, 200, TIMEOUT_MS);
      adds.push(performance.now() - added);
      const removed = performance.now();
      await apply(base);
      await waitForStatus(listen, host, 404, TIMEOUT_MS);
      removes.push(performance.now() - removed);
    }
  } finally {
    await nginx.stop();
  }
  return { add: summarise(adds), remove: summarise(removes) };
}
