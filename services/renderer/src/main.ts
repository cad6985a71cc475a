/**
 * The renderer: runs beside one NGINX (its child process), follows the IR of the Gateways it
 * serves, and keeps NGINX serving the latest valid configuration. Wiring and side effects only;
 * the decisions live in the pure `renderNginx` and in `Applier`.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createReconcileQueue, enqueueReconcile, openRedis, storeConnection } from '@portico/queue';
import { createStore } from '@portico/store';
import {
  createLogger,
  createMetrics,
  currentTraceparent,
  handleShutdown,
  inSpan,
  linkFromTraceparent,
  startOpsServer,
  startTracing,
  type Link,
} from '@portico/telemetry';
import type { RenderSettings } from '@portico/nginx-render';
import { KubeRest } from '@portico/kube';
import { Applier, type Ack, type FollowedIR } from './applier.ts';
import { BackendTlsBridges } from './backend-tls-bridge.ts';
import { readCertificateFiles } from './certificates.ts';
import { Coalescer } from './coalescer.ts';
import { configDir } from './config-dir.ts';
import { errorLogMark, errorsSince } from './error-log.ts';
import { loadConfig } from './config.ts';
import { NginxProcess, testConfig } from './nginx-process.ts';
import { bootstrapConfig, killStaleMaster, waitForVersion } from './nginx-runtime.ts';
import { prepareSocketDir, socketDirFor } from './sockets.ts';

const config = loadConfig();
const tracing = startTracing('renderer');
const logger = createLogger('renderer').child({ renderer: config.rendererId });
const metrics = createMetrics('renderer');
const applies = metrics.counter({
  name: 'render_applies_total',
  help: 'Apply cycles by outcome (reload, unchanged, config_invalid, reload_failed).',
  labelNames: ['outcome'],
});
const durations = metrics.histogram({
  name: 'render_duration_seconds',
  help: 'Time from reading the IRs to the acknowledged reload, by outcome.',
  labelNames: ['outcome'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});
const servedVersion = metrics.gauge({
  name: 'dataplane_config_info',
  help: 'The configuration version NGINX serves (value 1, version in a label).',
  labelNames: ['version'],
});

const dir = configDir(config.dataDir);
const socketDir = socketDirFor(config.dataDir);
const settings: RenderSettings = {
  portOffset: config.portOffset,
  statusListen: `127.0.0.1:${config.statusPort}`,
  paths: {
    prefix: config.dataDir,
    confDir: dir.currentLink,
    pidFile: join(config.dataDir, 'run', 'nginx.pid'),
    errorLog: join(config.dataDir, 'logs', 'error.log'),
    tempDir: join(config.dataDir, 'temp'),
    socketDir,
  },
  modules: config.modules,
  workerProcesses: config.workerProcesses,
  workerConnections: config.workerConnections,
  ...(config.nginxUser ? { user: config.nginxUser } : {}),
};
for (const sub of ['run', 'logs', 'temp'])
  await mkdir(join(config.dataDir, sub), { recursive: true });
await prepareSocketDir(socketDir);

const store = createStore({
  connection: storeConnection(config.redis),
  prefix: config.prefix,
  logger,
});
const rest = KubeRest.fromPath(config.kubeconfig);
const queueConnection = openRedis(config.redis, { maxRetriesPerRequest: null });
queueConnection.on('error', (err) => logger.warn({ err }, 'queue connection error'));
const queue = createReconcileQueue({ connection: queueConnection, prefix: config.prefix });

const follows = (gatewayKey: string) =>
  config.gateways === 'all' || config.gateways.has(gatewayKey);
const lastAcks = new Map<string, string>();

/**
 * The IRs this data plane serves. A Gateway leaves only on an explicit deletion message: when
 * Redis restarts empty, the store has no IR until the reconcilers publish again, and serving
 * nothing meanwhile would turn a Redis restart into an outage. The last known IR keeps serving.
 */
const known = new Map<string, FollowedIR>();

async function loadIRs(): Promise<FollowedIR[]> {
  const keys = (await store.listIRKeys()).filter(follows);
  const stored = await Promise.all(
    keys.map(async (gatewayKey) => ({ gatewayKey, entry: await store.getIR(gatewayKey) })),
  );
  for (const { gatewayKey, entry } of stored) {
    if (!entry) continue;
    known.set(gatewayKey, { gatewayKey, hash: entry.hash, ir: entry.ir });
    if (entry.traceparent) traceOf.set(gatewayKey, entry.traceparent);
  }
  return [...known.values()].sort((a, b) => (a.gatewayKey < b.gatewayKey ? -1 : 1));
}

/**
 * Acks only what changed, then asks for a reconcile of those Gateways (their Programmed
 * status). An ack is remembered as sent only once its reconcile is enqueued, so a Redis error
 * in between makes the next cycle send both again.
 */
async function sendAcks(acks: Ack[]): Promise<void> {
  const changed = acks.filter((ack) => lastAcks.get(ack.gatewayKey) !== JSON.stringify(ack));
  if (changed.length === 0) return;
  for (const ack of changed) {
    await store.ackIR(ack.gatewayKey, config.rendererId, {
      hash: ack.hash,
      ok: ack.ok,
      ...(ack.error ? { error: ack.error } : {}),
    });
  }
  // Inside the apply span: the reconcile that turns the ack into Programmed joins the trace.
  await enqueueReconcile(
    queue,
    changed.map((ack) => ack.gatewayKey),
    { traceparent: currentTraceparent() },
  );
  for (const ack of changed) lastAcks.set(ack.gatewayKey, JSON.stringify(ack));
}

await killStaleMaster(settings.paths.pidFile, logger);
await bootstrapConfig(dir, settings, (conf) =>
  testConfig(config.nginxBinary, config.dataDir, conf),
);
const nginx = new NginxProcess({
  binary: config.nginxBinary,
  prefix: config.dataDir,
  confPath: dir.currentConf,
  earlyHandover: config.workerHandover === 'early',
  onHandoverError: (error) =>
    logger.warn({ err: error }, 'early worker hand-over failed; NGINX retires its old workers'),
  onExit: (code, signal) => {
    logger.fatal(
      { code, signal },
      'NGINX exited; stopping the renderer so it is restarted with it',
    );
    process.exit(1);
  },
});
await nginx.start();
logger.info({ pid: nginx.pid, dataDir: config.dataDir }, 'NGINX started');

let firstApplyDone = false;
const bridges = new BackendTlsBridges(logger);
const applier = new Applier({
  dir,
  settings,
  logger,
  loadIRs,
  testConfig: (conf) => testConfig(config.nginxBinary, config.dataDir, conf),
  reload: () => nginx.reload(),
  errorLogMark: () => errorLogMark(settings.paths.errorLog),
  errorsSince: (mark) => errorsSince(settings.paths.errorLog, mark),
  waitForVersion: (version) => waitForVersion(config.statusPort, version, 10_000),
  sendAcks,
  bridges,
  certificateFiles: (certificates) =>
    readCertificateFiles(rest, certificates, { systemCaBundle: config.systemCaBundle }),
  observe: (outcome, seconds) => {
    applies.inc({ outcome });
    durations.observe({ outcome }, seconds);
  },
});

/** The trace of the reconcile that published each followed IR, and those already applied. */
const traceOf = new Map<string, string>();
const linked = new Set<string>();

/** Links to the reconciles whose IRs this apply takes in for the first time. */
function newLinks(): Link[] {
  const fresh = [...traceOf.values()].filter((traceparent) => !linked.has(traceparent));
  for (const traceparent of fresh) linked.add(traceparent);
  return fresh.map(linkFromTraceparent).filter((link): link is Link => link !== undefined);
}

const coalescer = new Coalescer(config.settleMs, async (handOver) => {
  try {
    // The IRs are read inside the apply; links are added for what the last read brought.
    await inSpan(tracing.tracer, 'render.apply', {}, async (span) => {
      await applier.apply(handOver);
      span.addLinks(newLinks());
    });
    firstApplyDone = true;
    servedVersion.reset();
    const live = await readFile(join(dir.currentLink, 'status.conf'), 'utf8').catch(() => '');
    const version = /return 200 "([0-9a-f]+)"/.exec(live)?.[1];
    if (version) servedVersion.set({ version }, 1);
  } catch (error) {
    logger.error({ err: error }, 'apply failed; will retry on the next change or resync');
    setTimeout(() => coalescer.trigger(), 1_000).unref();
  }
});

const subscription = await store.subscribeIR((change) => {
  if (change.kind === 'deleted') {
    if (!known.delete(change.gatewayKey)) return;
    lastAcks.delete(change.gatewayKey);
  } else if (change.kind === 'updated' && !follows(change.gatewayKey)) {
    return;
  }
  coalescer.trigger();
});
const resync = setInterval(() => coalescer.trigger(), config.resyncMs);
coalescer.trigger();

const ops = await startOpsServer({
  port: config.opsPort,
  registry: metrics.registry,
  isReady: () =>
    !firstApplyDone
      ? { ready: false, reason: 'first configuration not applied yet' }
      : !store.isConnected()
        ? { ready: false, reason: 'Redis not connected' }
        : { ready: true },
});
logger.info({ opsPort: ops.port }, 'renderer started');

handleShutdown(logger, [
  { name: 'stop following IR', close: () => subscription.close() },
  { name: 'flush traces', close: () => tracing.shutdown() },
  {
    name: 'finish the running apply',
    close: async () => {
      clearInterval(resync);
      coalescer.cancel();
      await coalescer.idle();
    },
  },
  { name: 'stop NGINX', close: () => nginx.stop() },
  { name: 'close the backend TLS bridge', close: () => bridges.close() },
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
