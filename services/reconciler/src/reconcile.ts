/**
 * The reconcile handler: one key in, current state read, pure core run, side effects out.
 * Level-triggered: it never looks at what changed, only at what is, so duplicated, reordered
 * or replayed jobs change nothing (invariant 1).
 */
import {
  buildGatewayIR,
  buildGraph,
  buildStreamGraph,
  defaultValidators,
  parseGatewayKey,
  type Graph,
  type GatewayStatusAddress,
  type Snapshot,
} from '@portico/graph';
import { contentHash, type GatewayIR } from '@portico/ir';
import { RESOURCES, writeStatus, type KubeRest } from '@portico/kube';
import type { ReconcileContext, ReconcileResult } from '@portico/queue';
import { currentTraceparent, PhaseTimer, type Logger } from '@portico/telemetry';
import type { IRHashes } from './ir-hash.ts';
import { forEachLimited } from './parallel.ts';
import { writeBackendTlsPolicyStatuses } from './backendtls.ts';
import { writeListenerSetStatuses } from './listenersets.ts';
import { withStreamServers, writeStreamRouteStatuses } from './stream.ts';
import type { RendererAck, Store } from '@portico/store';
import { gatewayStatuses, type DataPlaneState } from '@portico/status';

import { freshGatewayClassStatus, freshGatewayStatus, freshRouteStatus } from './fresh-status.ts';
import {
  gatewayAddresses,
  provisionGateway,
  type ProvisioningDeps,
  type ProvisionResult,
} from './data-plane.ts';
import { readableKey, type ProvisionedReads } from './provision-order.ts';

/** The worker's IR hash memo, for whoever wires `ReconcileDeps` (main.ts, benches). */
export { IRHashes } from './ir-hash.ts';

export interface ReconcileDeps {
  store: Store;
  rest: KubeRest;
  controllerName: string;
  addresses: GatewayStatusAddress[];
  supportedFeatures: string[];
  now: () => Date;
  /** IR hashes remembered across this worker's runs; undefined: every IR is hashed. */
  irHashes?: IRHashes | undefined;
  /** Per-Gateway data planes; undefined: a data plane is run by other means. */
  provisioning?: ProvisioningDeps | undefined;
  /** What this worker's provisioning granted; undefined: always provision before publishing. */
  provisionedReads?: ProvisionedReads | undefined;
}

/** `provisionGateway`, remembering what a success let the data plane read. */
async function provisionAndRemember(
  graph: Graph,
  ref: { key: string; namespace: string; name: string },
  deps: ReconcileDeps,
  logger: Logger,
  ir: GatewayIR | undefined,
): Promise<ProvisionResult> {
  if (!deps.provisioning) return {};
  const result = await provisionGateway(graph, ref, deps.provisioning, logger, ir);
  if (result.error || !ir) deps.provisionedReads?.forget(ref.key);
  else deps.provisionedReads?.remember(ref.key, readableKey(ir));
  return result;
}

/** Route status writes in flight at once (each its own object: no ordering between them). */
const STATUS_WRITE_LANES = 8;
/** How often route status writing asks whether a newer change of the key is waiting. */
const SUPERSEDED_CHECK_MS = 100;

/** `check` asked at most once per `everyMs` (the answer in between is the last one). */
function throttled(
  check: (() => Promise<boolean>) | undefined,
  everyMs: number,
): () => Promise<boolean> {
  if (!check) return async () => false;
  let last: { at: number; answer: Promise<boolean> } | undefined;
  return () => {
    const now = performance.now();
    if (!last || now - last.at >= everyMs) last = { at: now, answer: check() };
    return last.answer;
  };
}

const SNAPSHOT_KINDS = {
  gatewayClasses: 'GatewayClass',
  gateways: 'Gateway',
  httpRoutes: 'HTTPRoute',
  grpcRoutes: 'GRPCRoute',
  tcpRoutes: 'TCPRoute',
  udpRoutes: 'UDPRoute',
  tlsRoutes: 'TLSRoute',
  backendTlsPolicies: 'BackendTLSPolicy',
  configMaps: 'ConfigMap',
  listenerSets: 'ListenerSet',
  referenceGrants: 'ReferenceGrant',
  services: 'Service',
  endpointSlices: 'EndpointSlice',
  namespaces: 'Namespace',
  secrets: 'Secret',
  gatewayParameters: 'GatewayParameters',
} as const satisfies Record<keyof Snapshot, string>;

export async function loadSnapshot(store: Store): Promise<Snapshot> {
  const entries = await Promise.all(
    Object.entries(SNAPSHOT_KINDS).map(
      async ([field, kind]) => [field, await store.listObjects(kind)] as const,
    ),
  );
  return Object.fromEntries(entries) as unknown as Snapshot;
}

/**
 * What the data plane says about the current IR: applied when a renderer acknowledged this
 * hash, failed when one refused it (its error explains why).
 */
export function dataPlaneState(acks: RendererAck[], hash: string): DataPlaneState {
  const current = acks.filter((ack) => ack.hash === hash);
  const failed = current.find((ack) => !ack.ok);
  if (failed) return { error: failed.error ?? 'the data plane refused the configuration' };
  return current.some((ack) => ack.ok) ? { appliedHash: hash } : {};
}

export async function reconcile(
  key: string,
  context: ReconcileContext,
  deps: ReconcileDeps,
): Promise<ReconcileResult> {
  const timer = new PhaseTimer();
  const snapshot = await loadSnapshot(deps.store);
  timer.mark('snapshotMs');
  // A Gateway's reconcile resolves only the routes that concern it (GraphDeps.scope).
  const graph = buildGraph(snapshot, {
    controllerName: deps.controllerName,
    validators: defaultValidators,
    scope: key.startsWith('gateway/') ? key : undefined,
  });
  timer.mark('graphMs');
  if (key.startsWith('gatewayclass/')) {
    await reconcileGatewayClass(graph, key.slice('gatewayclass/'.length), deps);
    timer.mark('statusMs');
    context.logger.debug(timer.summary(), 'reconciled');
    return { kind: 'done' };
  }
  const ref = parseGatewayKey(key);
  if (!ref) {
    context.logger.warn('unknown key kind; dropping the job');
    return { kind: 'done' };
  }
  const result = await reconcileGateway(snapshot, graph, key, ref, context, deps, timer);
  context.logger.debug(timer.summary(), 'reconciled');
  return result;
}

async function reconcileGatewayClass(
  graph: Graph,
  name: string,
  deps: ReconcileDeps,
): Promise<void> {
  if (!graph.gatewayClasses.has(name)) return;
  await writeStatus(deps.rest, RESOURCES.GatewayClass, undefined, name, (fresh) =>
    freshGatewayClassStatus(graph, name, fresh, {
      now: deps.now(),
      supportedFeatures: deps.supportedFeatures,
    }),
  );
}

async function reconcileGateway(
  snapshot: Snapshot,
  graph: Graph,
  key: string,
  ref: { namespace: string; name: string },
  context: ReconcileContext,
  deps: ReconcileDeps,
  timer: PhaseTimer,
): Promise<ReconcileResult> {
  const stream = buildStreamGraph(snapshot, graph, {
    controllerName: deps.controllerName,
    validators: defaultValidators,
  });
  const ir = withStreamServers(buildGatewayIR(graph, key), graph, stream, key);
  timer.mark('irMs');
  // Provisioning before publishing when the IR names Secrets or ConfigMaps the data plane may
  // not read yet (provision-order.ts); after it otherwise, to keep it off the change's path.
  const provision = () =>
    deps.provisioning
      ? provisionAndRemember(graph, { key, ...ref }, deps, context.logger, ir)
      : Promise.resolve({});
  const first =
    !deps.provisionedReads || deps.provisionedReads.mustPrecedePublish(key, readableKey(ir));
  let provisioned: ProvisionResult = first ? await provision() : {};
  timer.mark('provisionMs');
  let hash = '';
  if (ir) {
    hash = deps.irHashes ? deps.irHashes.hash(key, ir) : contentHash(ir);
    // The run's trace context goes with the IR: the renderer's apply span links to it.
    if (await deps.store.publishIR(key, ir, hash, currentTraceparent()))
      context.logger.info({ hash }, 'published a new IR');
  } else {
    deps.irHashes?.forget(key);
    if (await deps.store.deleteIR(key))
      context.logger.info('Gateway gone or not ours: IR withdrawn');
  }
  timer.mark('publishMs');
  if (!first) {
    provisioned = await provision();
    timer.mark('provisionAfterMs');
  }
  const acked = ir ? dataPlaneState(await deps.store.getAcks(key), hash) : {};
  const dataPlane = provisioned.error ? { error: provisioned.error } : acked;
  const addresses = deps.provisioning
    ? gatewayAddresses(snapshot, ref, deps.addresses)
    : deps.addresses;
  const options = { now: deps.now(), addresses, dataPlane, irHash: hash };

  // The snapshot says which statuses look stale; only those are read fresh and written.
  const statuses = gatewayStatuses(graph, key, options);
  timer.mark('statusComputeMs');
  if (statuses.gateway?.changed) {
    await writeStatus(deps.rest, RESOURCES.Gateway, ref.namespace, ref.name, (fresh) =>
      freshGatewayStatus(graph, key, fresh, { ...options, now: deps.now() }),
    );
  }
  await writeListenerSetStatuses(graph, key, options, deps);
  const stale = statuses.routes.filter((route) => route.changed);
  const superseded = throttled(context.superseded, SUPERSEDED_CHECK_MS);
  let left = 0;
  await forEachLimited(stale, STATUS_WRITE_LANES, async (route) => {
    // A newer change is parked behind this run: it publishes the IR that change needs, and
    // writes (from current state) whatever statuses this run leaves. In a burst, writing a
    // thousand statuses here would hold that IR back for seconds.
    if (await superseded()) return left++;
    return writeStatus(deps.rest, RESOURCES[route.kind], route.namespace, route.name, (fresh) =>
      freshRouteStatus(graph, key, route.key, fresh, { ...options, now: deps.now() }),
    );
  });
  await writeStreamRouteStatuses(graph, stream, key, options, deps.rest);
  await writeBackendTlsPolicyStatuses(graph, key, deps.now, deps.rest);
  if (left > 0) context.logger.debug({ left }, 'newer change pending: route statuses left to it');
  timer.mark('statusWriteMs');
  // Programmed waits for the data plane: the renderer's ack enqueues this key again. (No
  // requeue here: a requeued job would hold back a change arriving meanwhile until its delay.)
  return { kind: 'done' };
}
