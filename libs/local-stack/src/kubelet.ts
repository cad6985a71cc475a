/**
 * Local mode's stand-in for what a cluster does with provisioned data planes. A "kubelet" runs
 * each provisioned data plane Deployment as one renderer process (with its NGINX), from the pod
 * template's command and environment (Secrets and field references resolved from the API
 * server), restarts it when the template changes or the process dies, and stops it when the
 * Deployment goes. A "load balancer" gives each LoadBalancer Service the address 127.0.0.1.
 *
 * Every Gateway has its own NGINX, but they share 127.0.0.1: each data plane gets its own port
 * offset, `base + 100 * slot` (slot 0, the first Gateway, gets the stack's own offset, so the
 * seed example answers where it always did). A listener on port 80 of the Gateway in slot 2 is
 * at 127.0.0.1:(80 + base + 200). `npm start` prints that mapping; `planeFor` tells tests.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { contentHash } from '@portico/ir';
import {
  collectionPath,
  objectPath,
  RESOURCES,
  type KubeList,
  type KubeObject,
  type KubeRest,
} from '@portico/kube';
import { ownerGatewayName } from '@portico/provision';
import {
  freePorts,
  httpGet,
  spawnManaged,
  StopWaiting,
  waitFor,
  type ManagedProcess,
} from '@portico/testing';
import { REPO_ROOT } from './paths.ts';
import { resolvePodEnv, type EnvVar } from './pod-env.ts';

const SELECTOR = 'app.kubernetes.io/managed-by=portico,app.kubernetes.io/component=dataplane';
export const SLOT_SPACING = 100;

export interface LocalDataPlane {
  /** `<namespace>/<deployment name>` */
  readonly id: string;
  readonly gateway: { namespace: string; name: string };
  readonly slot: number;
  readonly portOffset: number;
  /** The Gateway's listener ports (as declared); each is served at `port + portOffset`. */
  readonly listenerPorts: number[];
  readonly opsPort: number;
  readonly process: ManagedProcess;
  readonly templateHash: string;
  readonly ready: Promise<void>;
  readonly startedAt: number;
}

export interface LocalKubeletOptions {
  rest: KubeRest;
  kubeconfigPath: string;
  stateDir: string;
  logDir: string;
  /** The stack's `PORTICO_PORT_OFFSET`: slot 0's offset. */
  basePortOffset: number;
  /** Extra environment for every data plane (log level, test tuning). */
  env: NodeJS.ProcessEnv;
  pollMs?: number;
  /** Called when a data plane first answers ready (after each start). */
  onReady?: (plane: LocalDataPlane) => void;
}

interface ContainerSpec {
  command?: string[];
  args?: string[];
  env?: EnvVar[];
}

/** True when `port` can be bound on every address right now. */
function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (port > 65_535) return resolve(false);
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function containerOf(deployment: KubeObject): ContainerSpec {
  const spec = deployment.spec as { template?: { spec?: { containers?: ContainerSpec[] } } };
  const container = spec.template?.spec?.containers?.[0];
  if (!container) throw new Error(`Deployment ${deployment.metadata.name} has no container`);
  return container;
}

/** The Gateway's listener ports, from its data plane Service (the pod does not declare them). */
function listenerPortsOf(service: KubeObject): number[] {
  const ports = ((service.spec as { ports?: Array<{ port: number }> }).ports ?? []).map(
    (p) => p.port,
  );
  return [...new Set(ports)].sort((a, b) => a - b);
}

export class LocalKubelet {
  readonly #options: LocalKubeletOptions;
  readonly #planes = new Map<string, LocalDataPlane>();
  readonly #logs = new Map<string, WriteStream>();
  /** Data planes killed with `hold`: not started again until released. */
  readonly #held = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #syncing: Promise<void> = Promise.resolve();
  #stopped = false;
  #lastError: unknown;

  constructor(options: LocalKubeletOptions) {
    this.#options = options;
  }

  start(): void {
    const tick = (): void => {
      if (this.#stopped) return;
      this.#syncing = this.#sync()
        .then(
          () => {
            this.#lastError = undefined;
          },
          (error: unknown) => {
            this.#lastError = error;
          },
        )
        .finally(() => {
          if (!this.#stopped) this.#timer = setTimeout(tick, this.#options.pollMs ?? 200);
        });
    };
    tick();
  }

  planes(): LocalDataPlane[] {
    return [...this.#planes.values()].sort((a, b) => a.slot - b.slot);
  }

  planeFor(namespace: string, gatewayName: string): LocalDataPlane | undefined {
    return this.planes().find(
      (p) => p.gateway.namespace === namespace && p.gateway.name === gatewayName,
    );
  }

  /** The running, ready data plane of a Gateway (waits for it to be provisioned and up). */
  async waitForPlane(namespace: string, name: string, timeoutMs = 30_000): Promise<LocalDataPlane> {
    return waitFor(
      async () => {
        const plane = this.planeFor(namespace, name);
        if (!plane?.process.running()) return undefined;
        const ok = await Promise.race([
          plane.ready.then(() => true),
          new Promise<false>((r) => setTimeout(() => r(false), 200)),
        ]).catch(() => false);
        return ok ? plane : undefined;
      },
      {
        description: `the data plane of Gateway ${namespace}/${name}${this.#lastError ? ` (last kubelet error: ${String(this.#lastError)})` : ''}`,
        timeoutMs,
      },
    );
  }

  /**
   * Kills a data plane's process as a crash would; the kubelet starts it again, at once or,
   * with `hold`, only when the returned function is called (a pod that cannot start yet).
   */
  async kill(
    namespace: string,
    gatewayName: string,
    options: { signal?: NodeJS.Signals; hold?: boolean } = {},
  ): Promise<() => void> {
    const plane = this.planeFor(namespace, gatewayName);
    if (!plane) throw new Error(`no data plane for Gateway ${namespace}/${gatewayName}`);
    if (options.hold) this.#held.add(plane.id);
    await plane.process.stop({ signal: options.signal ?? 'SIGKILL', timeoutMs: 10_000 });
    return () => void this.#held.delete(plane.id);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#syncing;
    await Promise.all([...this.#planes.values()].map((p) => this.#stopPlane(p)));
    for (const log of this.#logs.values()) log.end();
    this.#logs.clear();
  }

  async #sync(): Promise<void> {
    const { rest } = this.#options;
    const list = await rest.request<KubeList<KubeObject>>(
      'GET',
      collectionPath(RESOURCES.Deployment),
      {
        query: { labelSelector: SELECTOR },
      },
    );
    const services = await rest.request<KubeList<KubeObject>>(
      'GET',
      collectionPath(RESOURCES.Service),
      { query: { labelSelector: SELECTOR } },
    );
    const serviceOf = new Map(
      services.items.map((svc) => [`${svc.metadata.namespace ?? ''}/${svc.metadata.name}`, svc]),
    );
    const wanted = new Map(
      list.items.map((d) => [`${d.metadata.namespace ?? ''}/${d.metadata.name}`, d]),
    );
    for (const plane of [...this.#planes.values()]) {
      if (!wanted.has(plane.id)) await this.#stopPlane(plane);
    }
    for (const [id, deployment] of [...wanted].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (this.#stopped) return;
      const current = this.#planes.get(id);
      const hash = contentHash((deployment.spec as { template?: unknown }).template ?? {});
      if (current && current.templateHash === hash) {
        // A crashed process is started again, as a kubelet restarts a container.
        if (current.process.running() || Date.now() - current.startedAt < 1_000) continue;
        if (this.#held.has(id)) continue;
      }
      // The Service says which ports to keep free; the reconciler writes it right after.
      const service = serviceOf.get(id);
      if (!service) continue;
      if (current) await this.#stopPlane(current);
      await this.#startPlane(id, deployment, listenerPortsOf(service), hash, current?.slot);
    }
    await this.#balanceLoad(services.items);
  }

  async #freeSlot(listenerPorts: number[], preferred: number | undefined): Promise<number> {
    const used = new Set([...this.#planes.values()].map((p) => p.slot));
    const candidates = preferred === undefined ? [] : [preferred];
    for (let slot = 0; slot < 200; slot++) candidates.push(slot);
    for (const slot of candidates) {
      if (used.has(slot)) continue;
      const offset = this.#options.basePortOffset + SLOT_SPACING * slot;
      const free = await Promise.all(listenerPorts.map((p) => bindable(p + offset)));
      if (free.every(Boolean)) return slot;
    }
    throw new Error(`no port offset leaves listener ports ${listenerPorts.join(', ')} free`);
  }

  #log(id: string): WriteStream {
    const existing = this.#logs.get(id);
    if (existing) return existing;
    const file = join(this.#options.logDir, `dataplane-${id.replaceAll('/', '-')}.log`);
    const stream = createWriteStream(file, { flags: 'a' });
    this.#logs.set(id, stream);
    return stream;
  }

  async #startPlane(
    id: string,
    deployment: KubeObject,
    listenerPorts: number[],
    templateHash: string,
    preferredSlot: number | undefined,
  ): Promise<void> {
    const namespace = deployment.metadata.namespace ?? '';
    const gatewayName = ownerGatewayName(deployment) ?? deployment.metadata.name;
    const container = containerOf(deployment);
    const slot = await this.#freeSlot(listenerPorts, preferredSlot);
    const portOffset = this.#options.basePortOffset + SLOT_SPACING * slot;
    const [opsPort, statusPort] = (await freePorts(2)) as [number, number];
    const podName = `${deployment.metadata.name}-local`;
    const podEnv = await resolvePodEnv(
      this.#options.rest,
      { namespace, name: podName },
      container.env ?? [],
    );
    const [command, ...args] = [...(container.command ?? []), ...(container.args ?? [])];
    if (!command) throw new Error(`Deployment ${id} sets no command`);
    const log = this.#log(id);
    log.write(`--- ${new Date().toISOString()} ${id}: slot ${slot}, port offset ${portOffset}\n`);
    const child = spawnManaged(command === 'node' ? process.execPath : command, args, {
      name: `dataplane ${id}`,
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        ...this.#options.env,
        ...podEnv,
        // What differs on one machine: ports, the data dir, and the API server's address.
        KUBECONFIG: this.#options.kubeconfigPath,
        PORTICO_OPS_PORT: String(opsPort),
        PORTICO_NGINX_STATUS_PORT: String(statusPort),
        PORTICO_PORT_OFFSET: String(portOffset),
        PORTICO_DATA_DIR: join(this.#options.stateDir, 'dataplanes', id.replaceAll('/', '_')),
      },
      onStdoutLine: (line) => log.write(`${line}\n`),
    });
    const ready = waitFor(
      async () => {
        if (!child.running()) throw new StopWaiting(`data plane ${id} exited:\n${child.output()}`);
        const r = await httpGet(`http://127.0.0.1:${opsPort}/readyz`).catch(() => undefined);
        return r?.status === 200;
      },
      { description: `data plane ${id} to become ready`, timeoutMs: 60_000 },
    ).then(() => undefined);
    const plane: LocalDataPlane = {
      id,
      gateway: { namespace, name: gatewayName },
      slot,
      portOffset,
      listenerPorts,
      opsPort,
      process: child,
      templateHash,
      ready,
      startedAt: Date.now(),
    };
    this.#planes.set(id, plane);
    ready.then(
      () => {
        if (this.#planes.get(id) !== plane) return;
        this.#options.onReady?.(plane);
        void this.#reportReady(deployment).catch(() => undefined);
      },
      (error: unknown) => log.write(`kubelet: ${String(error)}\n`),
    );
  }

  async #stopPlane(plane: LocalDataPlane): Promise<void> {
    if (this.#planes.get(plane.id) === plane) this.#planes.delete(plane.id);
    await plane.process.stop({ signal: 'SIGTERM', timeoutMs: 10_000 });
  }

  /** Deployment status, as the Deployment controller would write it for one ready pod. */
  async #reportReady(deployment: KubeObject): Promise<void> {
    const { rest } = this.#options;
    const path = objectPath(
      RESOURCES.Deployment,
      deployment.metadata.namespace,
      deployment.metadata.name,
    );
    const fresh = await rest.request<KubeObject>('GET', path);
    const status = {
      observedGeneration: fresh.metadata.generation,
      replicas: 1,
      updatedReplicas: 1,
      readyReplicas: 1,
      availableReplicas: 1,
    };
    await rest.request('PUT', `${path}/status`, { body: { ...fresh, status } });
  }

  /** The "load balancer": every LoadBalancer data plane Service gets 127.0.0.1. */
  async #balanceLoad(services: readonly KubeObject[]): Promise<void> {
    for (const service of services) {
      const spec = service.spec as { type?: string };
      const status = service.status as
        { loadBalancer?: { ingress?: Array<{ ip?: string }> } } | undefined;
      if (spec.type !== 'LoadBalancer' || status?.loadBalancer?.ingress?.[0]?.ip === '127.0.0.1')
        continue;
      const path = objectPath(RESOURCES.Service, service.metadata.namespace, service.metadata.name);
      const ingress = [{ ip: '127.0.0.1', ipMode: 'VIP' }];
      await this.#options.rest.request('PUT', `${path}/status`, {
        body: { ...service, status: { loadBalancer: { ingress } } },
      });
    }
  }
}
