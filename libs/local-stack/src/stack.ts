/**
 * Local mode: the whole system on one machine. Redis (ours, unless a URL is given), the
 * Kubernetes API emulator (in this process), the watcher and N reconcilers (each its own
 * process), a local kubelet and load balancer that run the data plane the reconcilers provision
 * for each Gateway (a renderer process with its NGINX child; see kubelet.ts), and for the seed
 * example an echo backend. `npm start` and the end-to-end tests both run exactly this.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '@portico/kube-emulator';
import { KubeRest, objectPath, RESOURCES, type KubeObject } from '@portico/kube';
import {
  freePorts,
  startEcho,
  startRedis,
  waitFor,
  type RunningEcho,
  type RunningRedis,
} from '@portico/testing';
import { writeEndpointSlice } from './endpoints.ts';
import { kubectlOk } from './kubectl.ts';
import { LocalKubelet, type LocalDataPlane } from './kubelet.ts';
import { SEED_DIR } from './paths.ts';
import { closeLogs, startService, waitReady, type ServiceProcess } from './services.ts';

export interface LocalStackOptions {
  /** Directory for the kubeconfig, NGINX's files and the service logs (e.g. `.portico`). */
  stateDir: string;
  /** Added to every listener port (`PORTICO_PORT_OFFSET`). */
  portOffset?: number;
  /** Use this Redis instead of starting one. */
  redisUrl?: string;
  reconcilers?: number;
  /** Apply `examples/seed/` and start its echo backend. */
  seed?: boolean;
  /** Extra environment for every service and data plane (tuning in tests). */
  serviceEnv?: NodeJS.ProcessEnv;
  /**
   * Run the provisioned data planes (default true). Off for control-plane measurements: the
   * Deployments are still provisioned, nothing runs them.
   */
  runDataPlanes?: boolean;
  /** Called each time a Gateway's data plane becomes ready (`npm start` prints where). */
  onDataPlaneReady?: (plane: LocalDataPlane) => void;
}

export interface LocalStack {
  readonly kubeconfigPath: string;
  readonly emulator: Emulator;
  readonly rest: KubeRest;
  readonly redisUrl: string;
  /** Undefined when an external Redis was given. */
  readonly redis: RunningRedis | undefined;
  readonly portOffset: number;
  readonly services: Map<string, ServiceProcess>;
  readonly seedBackend: RunningEcho | undefined;
  /** Runs the provisioned data planes (one renderer + NGINX per Gateway). */
  readonly kubelet: LocalKubelet;
  kubectl(args: readonly string[]): Promise<string>;
  /**
   * `http://127.0.0.1:<port + offset>` of a Gateway listener port: each Gateway's data plane
   * has its own port offset. Waits until that data plane is up.
   */
  gatewayUrl(namespace: string, name: string, port?: number, timeoutMs?: number): Promise<string>;
  /** (Re)starts one service by id: `watcher`, `reconciler-1`, `reconciler-2`. */
  startService(id: string): Promise<ServiceProcess>;
  stopService(id: string, signal?: NodeJS.Signals): Promise<void>;
  waitForGatewayProgrammed(
    namespace: string,
    name: string,
    timeoutMs?: number,
  ): Promise<KubeObject>;
  stop(): Promise<void>;
}

interface ServicePlan {
  service: 'watcher' | 'reconciler';
  opsPort: number;
  env: NodeJS.ProcessEnv;
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const portOffset = options.portOffset ?? 0;
  const logDir = join(options.stateDir, 'logs');
  await mkdir(logDir, { recursive: true });
  const kubeconfigPath = join(options.stateDir, 'kubeconfig');
  const cleanups: Array<() => Promise<void>> = [];
  const services = new Map<string, ServiceProcess>();

  try {
    const redis = options.redisUrl ? undefined : await startRedis();
    if (redis) cleanups.push(() => redis.stop());
    const redisUrl = options.redisUrl ?? redis?.url ?? '';
    const emulator = await startEmulator({ port: 0 });
    cleanups.push(() => emulator.close());
    await emulator.writeKubeconfig(kubeconfigPath);
    const rest = KubeRest.fromPath(kubeconfigPath);

    const reconcilers = options.reconcilers ?? 2;
    const [watcherPort, ...reconcilerPorts] = (await freePorts(reconcilers + 1)) as [
      number,
      ...number[],
    ];
    const common: NodeJS.ProcessEnv = {
      KUBECONFIG: kubeconfigPath,
      REDIS_URL: redisUrl,
      PORTICO_LEASE_NAMESPACE: 'kube-system',
      // Only while no load balancer has answered (the local one answers 127.0.0.1 at once).
      PORTICO_GATEWAY_ADDRESSES: '127.0.0.1',
      PORTICO_DATAPLANE_IMAGE: 'portico-dataplane:local',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      ...options.serviceEnv,
    };
    const plans = new Map<string, ServicePlan>([
      ['watcher', { service: 'watcher', opsPort: watcherPort, env: common }],
      ...reconcilerPorts.map((port, i): [string, ServicePlan] => [
        `reconciler-${i + 1}`,
        { service: 'reconciler', opsPort: port, env: common },
      ]),
    ]);

    const start = async (id: string): Promise<ServiceProcess> => {
      const plan = plans.get(id);
      if (!plan)
        throw new Error(`no service "${id}" in this stack (have: ${[...plans.keys()].join(', ')})`);
      const running = startService({
        id,
        service: plan.service,
        opsPort: plan.opsPort,
        env: plan.env,
        logDir,
      });
      services.set(id, running);
      await waitReady(running);
      return running;
    };
    const stopOne = async (id: string, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
      const running = services.get(id);
      services.delete(id);
      await running?.process.stop({ signal, timeoutMs: 10_000 });
    };
    cleanups.push(async () => {
      await Promise.all([...services.keys()].map((id) => stopOne(id)));
      closeLogs();
    });

    await Promise.all([...plans.keys()].map((id) => start(id)));
    const kubelet = new LocalKubelet({
      rest,
      kubeconfigPath,
      stateDir: options.stateDir,
      logDir,
      basePortOffset: portOffset,
      env: common,
      ...(options.onDataPlaneReady ? { onReady: options.onDataPlaneReady } : {}),
    });
    if (options.runDataPlanes ?? true) kubelet.start();
    cleanups.push(() => kubelet.stop());

    let seedBackend: RunningEcho | undefined;
    if (options.seed ?? true) {
      seedBackend = await startEcho({
        namespace: 'default',
        pod: 'httpbin-local-1',
        service: 'httpbin',
      });
      const backend = seedBackend;
      cleanups.push(() => backend.stop());
      await kubectlOk(kubeconfigPath, ['apply', '-f', SEED_DIR]);
      await writeEndpointSlice(rest, {
        namespace: 'default',
        service: 'httpbin',
        portName: 'http',
        endpoints: [{ address: '127.0.0.1', port: backend.port }],
      });
    }

    const stack: LocalStack = {
      kubeconfigPath,
      emulator,
      rest,
      redisUrl,
      redis,
      portOffset,
      services,
      seedBackend,
      kubelet,
      kubectl: (args) => kubectlOk(kubeconfigPath, args),
      gatewayUrl: async (namespace, name, port = 80, timeoutMs = 30_000) => {
        const plane = await kubelet.waitForPlane(namespace, name, timeoutMs);
        return `http://127.0.0.1:${port + plane.portOffset}`;
      },
      startService: start,
      stopService: stopOne,
      waitForGatewayProgrammed: (namespace, name, timeoutMs = 30_000) =>
        waitFor(() => programmedGateway(rest, namespace, name), {
          description: `Gateway ${namespace}/${name} to be Programmed`,
          timeoutMs,
        }),
      stop: () => runCleanups(cleanups),
    };
    return stack;
  } catch (error) {
    await runCleanups(cleanups);
    throw error;
  }
}

async function programmedGateway(
  rest: KubeRest,
  namespace: string,
  name: string,
): Promise<KubeObject | undefined> {
  const gateway = await rest.request<KubeObject>(
    'GET',
    objectPath(RESOURCES.Gateway, namespace, name),
  );
  const status = gateway.status as
    { conditions?: Array<{ type: string; status: string }> } | undefined;
  const programmed = status?.conditions?.find((c) => c.type === 'Programmed');
  return programmed?.status === 'True' ? gateway : undefined;
}

async function runCleanups(cleanups: Array<() => Promise<void>>): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup().catch(() => undefined);
  }
}
