/**
 * A reconciler worker: any number of replicas take keys from the `reconcile` queue. BullMQ's
 * deduplication (keepLastIfActive) keeps one key on one worker at a time and never drops a
 * change that arrives meanwhile (invariant 2). Wiring only; the work is in `reconcile`.
 */
import { KubeRest } from '@portico/kube';
import {
  createReconcileQueue,
  openRedis,
  registerQueueDepthGauge,
  startReconcileWorker,
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
import { loadConfig, SUPPORTED_FEATURES } from './config.ts';
import { IRHashes } from './ir-hash.ts';
import { ProvisionedReads } from './provision-order.ts';
import { reconcile } from './reconcile.ts';

const config = loadConfig();
const tracing = startTracing('reconciler');
const logger = createLogger('reconciler');
const metrics = createMetrics('reconciler');
const rest = KubeRest.fromPath(config.kubeconfig);
const store = createStore({
  connection: storeConnection(config.redis),
  prefix: config.prefix,
  logger,
});
const connection = openRedis(config.redis, { maxRetriesPerRequest: null });
connection.on('error', (err) => logger.warn({ err }, 'queue connection error'));
const queue = createReconcileQueue({ connection, prefix: config.prefix });
registerQueueDepthGauge(metrics, queue);

const deps = {
  store,
  rest,
  controllerName: config.controllerName,
  addresses: config.addresses,
  supportedFeatures: SUPPORTED_FEATURES,
  now: () => new Date(),
  irHashes: new IRHashes(),
  provisionedReads: new ProvisionedReads(),
  provisioning: config.dataPlane ? { rest, environment: config.dataPlane } : undefined,
};

const worker = startReconcileWorker({
  connection,
  prefix: config.prefix,
  concurrency: config.concurrency,
  lockDurationMs: config.lockDurationMs,
  stalledIntervalMs: config.stalledIntervalMs,
  logger,
  metrics,
  handler: (key, context) => reconcile(key, context, deps),
});

const ops = await startOpsServer({
  port: config.opsPort,
  registry: metrics.registry,
  isReady: () =>
    store.isConnected() ? { ready: true } : { ready: false, reason: 'Redis not connected' },
});
logger.info({ opsPort: ops.port, concurrency: config.concurrency }, 'reconciler started');

handleShutdown(logger, [
  { name: 'finish running reconciles', close: () => worker.close() },
  { name: 'flush traces', close: () => tracing.shutdown() },
  {
    name: 'close Redis',
    close: async () => {
      await queue.close();
      await store.close();
      connection.disconnect();
    },
  },
  { name: 'close ops server', close: () => ops.close() },
]);
