/**
 * The watcher: one active replica (Lease-based leader election; standbys wait) turns API
 * changes into reconcile keys. Wiring and side effects only; `Watcher` holds the pipeline and
 * `affectedKeys` (pure, in @portico/graph) decides which keys a change touches.
 */
import {
  createInformer,
  KubeRest,
  RESOURCES,
  startLeaderElection,
  type KubeInformer,
} from '@portico/kube';
import {
  createReconcileQueue,
  openRedis,
  registerQueueDepthGauge,
  storeConnection,
} from '@portico/queue';
import { createStore } from '@portico/store';
import {
  createLogger,
  createMetrics,
  handleShutdown,
  startOpsServer,
  startTracing,
} from '@portico/telemetry';
import { loadConfig } from './config.ts';
import { MIRRORED_KINDS, type MirroredKind } from './mirror-state.ts';
import { Watcher } from './watcher.ts';

const config = loadConfig();
const tracing = startTracing('watcher');
const logger = createLogger('watcher').child({ identity: config.identity });
const metrics = createMetrics('watcher');
const rest = KubeRest.fromPath(config.kubeconfig);
const store = createStore({
  connection: storeConnection(config.redis),
  prefix: config.prefix,
  logger,
});
const queueConnection = openRedis(config.redis, { maxRetriesPerRequest: null });
queueConnection.on('error', (err) => logger.warn({ err }, 'queue connection error'));
const queue = createReconcileQueue({ connection: queueConnection, prefix: config.prefix });
registerQueueDepthGauge(metrics, queue);
const watcher = new Watcher({
  store,
  queue,
  controllerName: config.controllerName,
  logger,
  metrics,
});

let role: 'candidate' | 'leader' | 'synced' = 'candidate';
const informers: KubeInformer[] = [];
let storeCheck: NodeJS.Timeout | undefined;
/** Set at shutdown: a stopped informer reports its aborted watch as an error. */
let stoppingInformers = false;

function startInformer(kind: MirroredKind): KubeInformer {
  const informer = createInformer(rest, RESOURCES[kind]);
  informer.on('add', (object) => watcher.handle(kind, 'add', object));
  informer.on('update', (object) => watcher.handle(kind, 'update', object));
  informer.on('delete', (object) => watcher.handle(kind, 'delete', object));
  // client-node's informer stops on errors other than 410 and timeouts: start it again.
  informer.on('error', (error) => {
    if (stoppingInformers) return;
    logger.warn({ err: error, kind }, 'watch failed; restarting the informer');
    setTimeout(() => void informer.start().catch(() => undefined), 1_000).unref();
  });
  return informer;
}

async function lead(): Promise<void> {
  role = 'leader';
  logger.info('leading: starting informers');
  for (const kind of Object.keys(MIRRORED_KINDS) as MirroredKind[])
    informers.push(startInformer(kind));
  await Promise.all(informers.map((informer) => informer.start()));
  await watcher.fullResync();
  role = 'synced';
  // Redis without persistence forgets everything when it restarts; the synced marker goes with
  // it, and the watcher mirrors its whole view again (invariant 9).
  storeCheck = setInterval(() => {
    void store
      .isSynced('Gateway')
      .then((synced) => (synced ? undefined : watcher.fullResync()))
      .catch((error: unknown) => logger.warn({ err: error }, 'store check failed'));
  }, 2_000);
}

const election = startLeaderElection({
  rest,
  namespace: config.leaseNamespace,
  name: config.leaseName,
  identity: config.identity,
  onStartedLeading: () => {
    lead().catch((error: unknown) => {
      logger.fatal({ err: error }, 'could not start leading');
      process.exit(1);
    });
  },
  onStoppedLeading: () => {
    logger.fatal('lost the leader lease; exiting so that only one watcher acts');
    process.exit(1);
  },
  onError: (error) => logger.warn({ err: error }, 'leader election round failed'),
});

const ops = await startOpsServer({
  port: config.opsPort,
  registry: metrics.registry,
  isReady: () =>
    role === 'synced'
      ? { ready: true }
      : role === 'candidate'
        ? { ready: false, reason: 'standing by: another watcher holds the lease' }
        : { ready: false, reason: 'initial list not processed yet' },
});
logger.info(
  { opsPort: ops.port, lease: `${config.leaseNamespace}/${config.leaseName}` },
  'watcher started',
);

handleShutdown(logger, [
  {
    name: 'stop informers',
    close: async () => {
      if (storeCheck) clearInterval(storeCheck);
      stoppingInformers = true;
      await Promise.all(informers.map((informer) => informer.stop()));
    },
  },
  { name: 'finish queued events', close: () => watcher.drain() },
  { name: 'flush traces', close: () => tracing.shutdown() },
  { name: 'release the lease', close: () => election.stop() },
  {
    name: 'close Redis',
    close: async () => {
      await queue.close();
      await store.close();
      queueConnection.disconnect();
    },
  },
  { name: 'close ops server', close: () => ops.close() },
]);
