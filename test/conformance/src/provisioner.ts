/**
 * Local data planes, one per Gateway. In a cluster every Gateway gets its own address; on one
 * machine they all share 127.0.0.1, and the upstream base Gateways all listen on port 80. So,
 * as a provisioner would (NGINX Gateway Fabric deploys one NGINX per Gateway), this starts one
 * renderer (with its NGINX) per Gateway of our class, restricted to that Gateway with
 * `PORTICO_GATEWAYS` and given its own port offset, and stops it when the Gateway goes away.
 * Offsets are `base + 10 * slot`: with the listener ports the suite uses (80, 443, 8080, 8443,
 * ...) two data planes never claim the same port unless hundreds of Gateways live at once.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import {
  collectionPath,
  RESOURCES,
  type KubeList,
  type KubeObject,
  type KubeRest,
} from '@portico/kube';
import { REPO_ROOT } from '@portico/local-stack';
import {
  freePorts,
  httpGet,
  spawnManaged,
  StopWaiting,
  waitFor,
  type ManagedProcess,
} from '@portico/testing';
import { CLASS_NAME, type Ref } from './builders.ts';

export interface ProvisionerOptions {
  rest: KubeRest;
  redisUrl: string;
  kubeconfigPath: string;
  stateDir: string;
  /** Offset of slot 0; slot n gets `basePortOffset + 10 * n`. */
  basePortOffset: number;
  pollMs?: number;
}

interface DataPlane {
  key: string;
  slot: number;
  offset: number;
  process: ManagedProcess;
  log: WriteStream;
  ready: Promise<void>;
}

const RENDERER_MAIN = join(REPO_ROOT, 'services', 'renderer', 'src', 'main.ts');
const SLOT_SPACING = 10;

const keyOf = (gw: Ref): string => `gateway/${gw.namespace}/${gw.name}`;

export class LocalProvisioner {
  readonly #options: ProvisionerOptions;
  readonly #planes = new Map<string, DataPlane>();
  #timer: NodeJS.Timeout | undefined;
  #syncing: Promise<void> = Promise.resolve();
  #stopped = false;
  #lastError: unknown;

  constructor(options: ProvisionerOptions) {
    this.#options = options;
  }

  /** Starts following Gateways. */
  start(): void {
    const tick = (): void => {
      if (this.#stopped) return;
      this.#syncing = this.#sync()
        .catch((error: unknown) => {
          this.#lastError = error;
        })
        .finally(() => {
          if (!this.#stopped) this.#timer = setTimeout(tick, this.#options.pollMs ?? 200);
        });
    };
    tick();
  }

  /** The port offset of a Gateway's data plane, once it is up. */
  async portOffset(gw: Ref, timeoutMs = 30_000): Promise<number> {
    const plane = await waitFor(() => this.#planes.get(keyOf(gw)), {
      description: `a data plane for Gateway ${gw.namespace}/${gw.name}${this.#lastError ? ` (last provisioner error: ${String(this.#lastError)})` : ''}`,
      timeoutMs,
    });
    await plane.ready;
    return plane.offset;
  }

  /** Stops every data plane. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#syncing;
    await Promise.all([...this.#planes.values()].map((p) => this.#stopPlane(p)));
  }

  async #sync(): Promise<void> {
    const list = await this.#options.rest.request<KubeList<KubeObject>>(
      'GET',
      collectionPath(RESOURCES.Gateway),
    );
    const wanted = new Set(
      list.items
        .filter((g) => (g.spec as { gatewayClassName?: string }).gatewayClassName === CLASS_NAME)
        .map((g) => keyOf({ namespace: g.metadata.namespace ?? '', name: g.metadata.name })),
    );
    for (const plane of [...this.#planes.values()]) {
      if (!wanted.has(plane.key)) await this.#stopPlane(plane);
    }
    for (const key of [...wanted].sort()) {
      if (!this.#planes.has(key) && !this.#stopped) await this.#startPlane(key);
    }
  }

  #freeSlot(): number {
    const used = new Set([...this.#planes.values()].map((p) => p.slot));
    let slot = 0;
    while (used.has(slot)) slot++;
    return slot;
  }

  async #startPlane(key: string): Promise<void> {
    const slot = this.#freeSlot();
    const offset = this.#options.basePortOffset + SLOT_SPACING * slot;
    const [opsPort, statusPort] = (await freePorts(2)) as [number, number];
    const id = `dataplane-${slot}`;
    const dataDir = join(this.#options.stateDir, 'dataplanes', `slot-${slot}`);
    const log = createWriteStream(join(this.#options.stateDir, 'logs', `${id}.log`), {
      flags: 'a',
    });
    log.write(`--- ${new Date().toISOString()} ${key} offset ${offset}\n`);
    const child = spawnManaged(process.execPath, [RENDERER_MAIN], {
      name: id,
      env: {
        ...process.env,
        KUBECONFIG: this.#options.kubeconfigPath,
        REDIS_URL: this.#options.redisUrl,
        PORTICO_GATEWAYS: key,
        PORTICO_DATA_DIR: dataDir,
        PORTICO_PORT_OFFSET: String(offset),
        PORTICO_NGINX_STATUS_PORT: String(statusPort),
        PORTICO_OPS_PORT: String(opsPort),
        PORTICO_RENDERER_ID: `conformance-${key.replaceAll('/', '-')}`,
        LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'info',
      },
      onStdoutLine: (line) => log.write(`${line}\n`),
    });
    const ready = waitFor(
      async () => {
        if (!child.running()) throw new StopWaiting(`${id} exited:\n${child.output()}`);
        const r = await httpGet(`http://127.0.0.1:${opsPort}/readyz`).catch(() => undefined);
        return r?.status === 200;
      },
      { description: `${id} (${key}) to become ready`, timeoutMs: 30_000 },
    ).then(() => undefined);
    ready.catch(() => undefined);
    this.#planes.set(key, { key, slot, offset, process: child, log, ready });
  }

  async #stopPlane(plane: DataPlane): Promise<void> {
    this.#planes.delete(plane.key);
    await plane.process.stop({ signal: 'SIGTERM', timeoutMs: 10_000 });
    plane.log.end();
  }
}
