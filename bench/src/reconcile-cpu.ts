/**
 * `npm run bench -- reconcile`: the CPU one reconcile of a Gateway costs when many routes are
 * present, without the rest of the stack (no watcher, renderer or NGINX competing): the
 * reconcile handler itself on a real Redis store and the API emulator.
 *
 * With `BENCH_ROUTES` HTTPRoutes (default 1,000; each to its own Service and EndpointSlice) on
 * the seed Gateway (or spread over `BENCH_GATEWAYS` Gateways, the seed's holding one route in
 * that many), every status of the seed Gateway already written: `BENCH_CHANGES` times (default 30) one route
 * is added and then deleted, mirrored into the store as the watcher would, and the Gateway
 * reconciled; also replays (a reconcile with nothing changed). Per kind of run: wall time and
 * process CPU (user + system; the emulator answering the run's status writes shares this
 * process), and the handler's phase times. Then the pure phases alone, repeated, by CPU.
 * One JSON object per line on stdout; progress on stderr. `BENCH_PROFILE=<file>` writes a
 * V8 CPU profile of the change loop alone (open it in Chrome DevTools or speedscope).
 */
import {
  buildGatewayIR,
  buildGraph,
  buildStreamGraph,
  defaultValidators,
  type Graph,
  type Snapshot,
} from '@portico/graph';
import { collectionPath, objectPath, RESOURCES } from '@portico/kube';
import { contentHash } from '@portico/ir';
import { loadSnapshot, reconcile } from '@portico/reconciler/reconcile';
import { gatewayStatuses } from '@portico/status';
import { startProfile } from './profile.ts';
import { BENCH_NAMESPACE } from './routes.ts';
import {
  GATEWAY_KEY,
  routeTo,
  startReconcileWorld,
  type ReconcileWorld,
} from './reconcile-world.ts';
import { round, summarise } from './stats.ts';

const ROUTES = Number(process.env.BENCH_ROUTES ?? 1000);
/** Gateways the routes are spread over; the seed Gateway (measured) holds 1 in `GATEWAYS`. */
const GATEWAYS = Number(process.env.BENCH_GATEWAYS ?? 1);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 30);
/** Repetitions of each pure phase in the phase split. */
const PHASE_REPEATS = 10;

function emit(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function progress(message: string): void {
  process.stderr.write(`reconcile: ${message}\n`);
}

/** CPU milliseconds (user + system) of this process so far. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

interface Sample {
  wallMs: number;
  cpuMs: number;
  phases: Record<string, number>;
}

async function timedReconcile(world: ReconcileWorld): Promise<Sample> {
  world.takePhases();
  const cpu = cpuMs();
  const start = performance.now();
  const result = await reconcile(GATEWAY_KEY, world.context, world.deps);
  const sample = { wallMs: performance.now() - start, cpuMs: cpuMs() - cpu };
  if (result.kind !== 'done') throw new Error(`reconcile ended ${result.kind}`);
  return { ...sample, phases: world.takePhases()[0] ?? {} };
}

function report(step: string, samples: Sample[]): void {
  const phases: Record<string, number> = {};
  for (const sample of samples)
    for (const [phase, ms] of Object.entries(sample.phases))
      phases[phase] = (phases[phase] ?? 0) + ms / samples.length;
  emit({
    bench: 'reconcile',
    step,
    routes: ROUTES,
    gateways: GATEWAYS,
    runs: samples.length,
    wall: summarise(samples.map((s) => s.wallMs)),
    cpuMsMean: round(samples.reduce((sum, s) => sum + s.cpuMs, 0) / samples.length),
    cpu: summarise(samples.map((s) => s.cpuMs)),
    phaseWallMsMean: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, round(v)])),
  });
}

/** One added route (mirrored, reconciled, its status mirrored back), then its deletion. */
async function changeOnce(world: ReconcileWorld, i: number): Promise<[Sample, Sample]> {
  const name = `extra-${i}`;
  await world.rest.request('POST', collectionPath(RESOURCES.HTTPRoute, BENCH_NAMESPACE), {
    body: routeTo(name, `service-${i % ROUTES}`),
  });
  await world.mirrorOne('HTTPRoute', name, BENCH_NAMESPACE);
  const added = await timedReconcile(world);
  // The statuses it wrote come back through the watch, as the watcher would store them.
  await world.mirrorOne('HTTPRoute', name, BENCH_NAMESPACE);
  await world.mirrorOne('Gateway', 'my-gateway', 'default');
  await world.rest.request('DELETE', objectPath(RESOURCES.HTTPRoute, BENCH_NAMESPACE, name));
  await world.mirrorOne('HTTPRoute', name, BENCH_NAMESPACE);
  const deleted = await timedReconcile(world);
  await world.mirrorOne('Gateway', 'my-gateway', 'default');
  return [added, deleted];
}

/** CPU ms per run of `phase`, the mean of {@link PHASE_REPEATS} runs. */
async function cpuOf(phase: () => unknown): Promise<number> {
  await phase();
  const cpu = cpuMs();
  for (let i = 0; i < PHASE_REPEATS; i++) await phase();
  return round((cpuMs() - cpu) / PHASE_REPEATS);
}

async function pureSplit(world: ReconcileWorld): Promise<void> {
  const deps = {
    controllerName: world.deps.controllerName,
    validators: defaultValidators,
    scope: GATEWAY_KEY, // as reconcile builds a Gateway's graph
  };
  const snapshot: Snapshot = await loadSnapshot(world.store);
  const graph: Graph = buildGraph(snapshot, deps);
  const ir = buildGatewayIR(graph, GATEWAY_KEY);
  const options = { now: new Date(), addresses: world.deps.addresses, dataPlane: {}, irHash: '' };
  emit({
    bench: 'reconcile-phases',
    routes: ROUTES,
    gateways: GATEWAYS,
    cpuMsPerRun: {
      loadSnapshot: await cpuOf(() => loadSnapshot(world.store)),
      buildGraph: await cpuOf(() => buildGraph(snapshot, deps)),
      buildStreamGraph: await cpuOf(() => buildStreamGraph(snapshot, graph, deps)),
      buildGatewayIR: await cpuOf(() => buildGatewayIR(graph, GATEWAY_KEY)),
      contentHash: await cpuOf(() => contentHash(ir)),
      gatewayStatuses: await cpuOf(() => gatewayStatuses(graph, GATEWAY_KEY, options)),
    },
  });
}

export async function runReconcileCpu(): Promise<void> {
  progress(`setting up ${ROUTES} routes, Services and EndpointSlices`);
  const world = await startReconcileWorld(ROUTES, GATEWAYS);
  try {
    progress('first reconcile (writes every status)');
    await reconcile('gatewayclass/portico', world.context, world.deps);
    const first = await timedReconcile(world);
    emit({ bench: 'reconcile', step: 'first', routes: ROUTES, ...first });
    for (let i = 0; i < ROUTES; i++)
      await world.mirrorOne('HTTPRoute', `route-${i}`, BENCH_NAMESPACE);
    await world.mirrorOne('HTTPRoute', 'httpbin', BENCH_NAMESPACE);
    await world.mirrorOne('Gateway', 'my-gateway', 'default');
    progress(`${CHANGES} single-route additions and deletions`);
    const profile = await startProfile();
    const added: Sample[] = [];
    const deleted: Sample[] = [];
    const replays: Sample[] = [];
    for (let i = 0; i < CHANGES; i++) {
      const [add, del] = await changeOnce(world, i);
      added.push(add);
      deleted.push(del);
      replays.push(await timedReconcile(world));
    }
    await profile?.stop();
    report('routeAdded', added);
    report('routeDeleted', deleted);
    report('replay', replays);
    progress('pure phases');
    await pureSplit(world);
  } finally {
    await world.stop();
  }
}
