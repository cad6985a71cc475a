/**
 * `npm run bench -- propagation`: how long a route takes from the API write to its first 200
 * through NGINX, on the whole local stack (emulator, Redis, watcher, two reconcilers, renderer
 * and NGINX as separate processes).
 *
 * Steps: with 0 routes present, 30 single changes (POST one route, poll until 200; DELETE it,
 * poll until 404, so the count stays put); then 100 routes at once and 30 single changes; then
 * those 100 go and 1,000 routes are POSTed at once (time until every one answers 200) and 30
 * single changes. Beside each step, the same changes on a bare NGINX with a hand-written config
 * of as many server blocks (`nginx-floor.ts`): what NGINX itself needs per change on this
 * machine. One JSON object per line on stdout; progress on stderr.
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { startLocalStack, type LocalStack } from '@portico/local-stack';
import { freePort, makeTempDir, removeTempDir } from '@portico/testing';
import { cpuDelta, sampleCpu } from './cpu.ts';
import { waitForAll, waitForStatus } from './probe.ts';
import { measureNginxFloor, type FloorResult } from './nginx-floor.ts';
import { createRoute, deleteRoute, hostOf, inParallel } from './routes.ts';
import { round, summarise } from './stats.ts';

const CHANGES = Number(process.env.BENCH_CHANGES ?? 30);
/** Route counts to measure at; `BENCH_PRESENT=1000` runs one step (for profiling). */
const PRESENT = (process.env.BENCH_PRESENT ?? '0,100,1000').split(',').map(Number);
/** Concurrent API writes in a bulk step (kubectl apply of many objects is sequential; this is kinder). */
const WRITE_LANES = 16;
const SINGLE_TIMEOUT_MS = 30_000;
const BULK_TIMEOUT_MS = 300_000;

function emit(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function progress(message: string): void {
  process.stderr.write(`propagation: ${message}\n`);
}

/** `BENCH_TRACE=1`: timestamped steps on stderr, to line up with the services' logs. */
function trace(message: string): void {
  if (process.env.BENCH_TRACE) progress(`${new Date().toISOString()} ${message}`);
}

function machineFacts(): Record<string, unknown> {
  // `nginx -v` writes its version on stderr.
  const nginx = spawnSync('/usr/sbin/nginx', ['-v'], { encoding: 'utf8' });
  return {
    bench: 'machine',
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: round(totalmem() / 2 ** 30),
    node: process.version,
    nginx: `${nginx.stderr}`.trim().replace(/^nginx version: /, '') || 'unknown',
    // Other work on the machine slows every step: the 1-minute load average goes with each line.
    loadAvg1m: round(loadavg()[0] ?? 0),
  };
}

interface Phase {
  stack: LocalStack;
  port: number;
}

/** One route written, then served; one route deleted, then gone. Returns both latencies. */
async function singleChange(
  phase: Phase,
  name: string,
): Promise<{ addMs: number; removeMs: number }> {
  const host = hostOf(name);
  trace(`POST ${name}`);
  const added = performance.now();
  await createRoute(phase.stack.rest, name);
  trace(`POST ${name} answered`);
  await waitForStatus(phase.port, host, 200, SINGLE_TIMEOUT_MS);
  const addMs = performance.now() - added;
  trace(`${name} served`);
  const removed = performance.now();
  await deleteRoute(phase.stack.rest, name);
  await waitForStatus(phase.port, host, 404, SINGLE_TIMEOUT_MS);
  trace(`${name} gone`);
  return { addMs, removeMs: performance.now() - removed };
}

async function measureChanges(phase: Phase, routesPresent: number): Promise<void> {
  const adds: number[] = [];
  const removes: number[] = [];
  const cpuBefore = sampleCpu(phase.stack);
  for (let i = 0; i < CHANGES; i++) {
    const { addMs, removeMs } = await singleChange(phase, `probe-${routesPresent}-${i}`);
    trace(`change ${i}: add ${round(addMs)} ms, remove ${round(removeMs)} ms`);
    adds.push(addMs);
    removes.push(removeMs);
  }
  const removal = summarise(removes);
  const cpuMsPerChange = cpuDelta(cpuBefore, sampleCpu(phase.stack), CHANGES * 2);
  const added = summarise(adds);
  // The same changes on a bare NGINX with a hand-written config of as many server blocks,
  // measured now (same machine, same moment): the part of the figure that is NGINX's own.
  progress(
    `the same ${CHANGES} changes on a hand-written NGINX config with ${routesPresent} hosts`,
  );
  const floor = await measureNginxFloor(routesPresent, CHANGES, hostOf, false);
  const floorEarly = await measureNginxFloor(routesPresent, CHANGES, hostOf, true);
  // Portico's own cost: against the floor run the way the renderer runs NGINX.
  const sameWay = process.env.PORTICO_NGINX_WORKER_HANDOVER === 'master' ? floor : floorEarly;
  emit({
    bench: 'propagation',
    routesPresent,
    changes: CHANGES,
    ...added,
    removeP50Ms: removal.p50Ms,
    removeP99Ms: removal.p99Ms,
    handWrittenNginx: floorFigures(floor),
    handWrittenNginxEarlyHandover: floorFigures(floorEarly),
    porticoOverP50Ms: round(added.p50Ms - sameWay.add.p50Ms),
    loadAvg1m: round(loadavg()[0] ?? 0),
    cpuMsPerChange,
  });
}

function floorFigures(floor: FloorResult) {
  return {
    p50Ms: floor.add.p50Ms,
    p99Ms: floor.add.p99Ms,
    removeP50Ms: floor.remove.p50Ms,
    removeP99Ms: floor.remove.p99Ms,
  };
}

function names(prefix: string, count: number): string[] {
  const width = String(count).length;
  return Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(width, '0')}`);
}

/** POSTs all routes (`WRITE_LANES` at a time) and waits until each answers 200. */
async function bulkAdd(phase: Phase, routes: string[]): Promise<void> {
  const cpuBefore = sampleCpu(phase.stack);
  const started = performance.now();
  await inParallel(routes, WRITE_LANES, (name) => createRoute(phase.stack.rest, name));
  const writtenMs = performance.now() - started;
  await waitForAll(phase.port, routes.map(hostOf), 200, BULK_TIMEOUT_MS);
  emit({
    bench: 'propagation-bulk',
    routes: routes.length,
    writesMs: round(writtenMs),
    allServedMs: round(performance.now() - started),
    loadAvg1m: round(loadavg()[0] ?? 0),
    cpuMs: cpuDelta(cpuBefore, sampleCpu(phase.stack)),
  });
}

async function bulkDelete(phase: Phase, routes: string[]): Promise<void> {
  await inParallel(routes, WRITE_LANES, (name) => deleteRoute(phase.stack.rest, name));
  await waitForAll(phase.port, routes.map(hostOf), 404, BULK_TIMEOUT_MS);
}

export async function runPropagation(): Promise<void> {
  emit(machineFacts());
  // BENCH_STATE_DIR keeps the service logs for profiling; otherwise a temp dir, removed at the end.
  const keptDir = process.env.BENCH_STATE_DIR;
  const stateDir = keptDir ?? (await makeTempDir('bench-propagation'));
  const listenerPort = Number(process.env.BENCH_LISTENER_PORT ?? (await freePort()));
  const portOffset = listenerPort - 80;
  progress(`starting the local stack (state in ${stateDir}, listener port ${listenerPort})`);
  const stack = await startLocalStack({ stateDir, portOffset, seed: true, reconcilers: 2 });
  const stop = async () => {
    await stack.stop();
    if (keptDir) progress(`state kept in ${stateDir}`);
    else await removeTempDir(stateDir);
  };
  try {
    await stack.waitForGatewayProgrammed('default', 'my-gateway');
    const phase: Phase = { stack, port: listenerPort };
    await waitForStatus(listenerPort, 'www.example.local', 200, SINGLE_TIMEOUT_MS);
    let present: string[] = [];
    for (const count of PRESENT) {
      if (present.length > 0) {
        progress(`deleting ${present.length} routes`);
        await bulkDelete(phase, present);
      }
      if (count > 0) {
        progress(`adding ${count} routes at once`);
        present = names(`bulk${count}`, count);
        await bulkAdd(phase, present);
      }
      progress(`${CHANGES} single changes with ${count} routes present`);
      await measureChanges(phase, count);
    }
  } finally {
    await stop();
  }
}
