/**
 * The watcher's event pipeline: informer event -> stored form -> Redis object store ->
 * affected reconcile keys -> queue. Events are processed one at a time in arrival order, and the
 * store is written before the keys are enqueued, so a reconcile always reads at least the state
 * that caused it (invariant 2 depends on this).
 */
import { affectedKeys } from '@portico/graph';
import type { KubeObject } from '@portico/kube';
import { provisionedGatewayKey } from '@portico/provision';
import { enqueueReconcile, type ReconcileQueue } from '@portico/queue';
import type { Store, StoredObject } from '@portico/store';
import {
  currentTraceparent,
  inSpan,
  porticoTracer,
  type Logger,
  type Metrics,
} from '@portico/telemetry';
import { isIrrelevantChange, objectKey, toStored } from './mirror.ts';
import {
  asSnapshotObject,
  MIRRORED_KINDS,
  MirrorState,
  type MirroredKind,
} from './mirror-state.ts';

export type WatchEvent = 'add' | 'update' | 'delete';

export interface WatcherDeps {
  store: Store;
  queue: ReconcileQueue;
  controllerName: string;
  logger: Logger;
  metrics: Metrics;
}

export class Watcher {
  readonly state = new MirrorState();
  private chain: Promise<void> = Promise.resolve();
  private readonly deps: WatcherDeps;
  private readonly events;

  constructor(deps: WatcherDeps) {
    this.deps = deps;
    this.events = deps.metrics.counter({
      name: 'watch_events_total',
      help: 'Watch events by kind and what became of them (enqueued, unreferenced, ignored).',
      labelNames: ['kind', 'result'],
    });
  }

  /** Queues one informer event; events are handled strictly in order. */
  handle(kind: MirroredKind, event: WatchEvent, object: KubeObject): void {
    this.chain = this.chain.then(() => this.process(kind, event, object));
  }

  /** Resolves when every event handed in so far has been processed. */
  drain(): Promise<void> {
    return this.chain;
  }

  /** One span per event: the start of the trace that the reconcile and the apply join. */
  private process(kind: MirroredKind, event: WatchEvent, object: KubeObject): Promise<void> {
    const attributes = {
      'portico.kind': kind,
      'portico.event': event,
      'portico.object': objectKey(object),
      'k8s.resource_version': object.metadata.resourceVersion ?? '',
    };
    return inSpan(porticoTracer(), 'watch.event', { attributes }, () =>
      this.processInSpan(kind, event, object),
    );
  }

  private async processInSpan(
    kind: MirroredKind,
    event: WatchEvent,
    object: KubeObject,
  ): Promise<void> {
    const key = objectKey(object);
    const before = this.state.get(kind, key);
    const after = event === 'delete' ? undefined : toStored(kind, object);
    const owners = dataPlaneOwners(kind, before, after);
    if (before && after && isIrrelevantChange(before, after)) {
      // Status-only (our own status writes come back this way): nothing to reconcile, but the
      // store keeps the current status so reconcilers see what is already written. A data
      // plane Service's status is its load balancer address: its Gateway's `addresses`.
      this.state.set(kind, after);
      await this.retrying(`store ${kind} ${key}`, () =>
        this.deps.store.putObject(kind, after as StoredObject),
      );
      this.events.inc({ kind, result: owners.length > 0 ? 'enqueued' : 'ignored' });
      if (owners.length > 0)
        await this.retrying(`enqueue ${owners.join(',')}`, () =>
          enqueueReconcile(this.deps.queue, owners, { traceparent: currentTraceparent() }),
        );
      return;
    }
    if (after) this.state.set(kind, after);
    else this.state.delete(kind, key);
    const affected = affectedKeys(
      this.state.snapshot(),
      asSnapshotObject(kind, before),
      asSnapshotObject(kind, after),
      { controllerName: this.deps.controllerName },
    );
    const keys = [...new Set([...affected, ...owners])].sort();
    await this.retrying(`store ${kind} ${key}`, () =>
      after
        ? this.deps.store.putObject(kind, after as StoredObject)
        : this.deps.store.deleteObject(kind, object.metadata.namespace, object.metadata.name),
    );
    this.events.inc({ kind, result: keys.length > 0 ? 'enqueued' : 'unreferenced' });
    if (keys.length === 0) return;
    this.deps.logger.debug({ kind, object: key, event, keys }, 'change enqueued');
    const traceparent = currentTraceparent();
    await this.retrying(`enqueue ${keys.join(',')}`, () =>
      enqueueReconcile(this.deps.queue, keys, { traceparent }),
    );
  }

  /**
   * Mirrors the whole in-memory view into the store (replacing whatever it held) and enqueues
   * every key: after the initial list, and whenever the store lost its data (Redis restarted
   * without persistence). Reconciles are level-triggered, so enqueueing everything is safe.
   */
  async fullResync(): Promise<void> {
    await this.drain();
    const { store } = this.deps;
    for (const kind of Object.keys(MIRRORED_KINDS) as MirroredKind[]) {
      const objects = this.state.list(kind) as StoredObject[];
      await this.retrying(`replace ${kind}`, () => store.replaceAll(kind, objects));
      await this.retrying(`mark ${kind} synced`, () => store.markSynced(kind));
    }
    const snapshot = this.state.snapshot();
    const keys = new Set<string>();
    for (const gatewayClass of this.state.list('GatewayClass')) {
      for (const key of affectedKeys(
        snapshot,
        null,
        asSnapshotObject('GatewayClass', gatewayClass),
        {
          controllerName: this.deps.controllerName,
        },
      )) {
        keys.add(key);
      }
    }
    await this.retrying('enqueue all', () => enqueueReconcile(this.deps.queue, keys));
    this.deps.logger.info({ keys: keys.size }, 'store resynced; every Gateway enqueued');
  }

  /** Redis being down must not lose an event: retry until it is back. */
  private async retrying(what: string, action: () => Promise<unknown>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await action();
        return;
      } catch (error) {
        const delay = Math.min(5_000, 100 * 2 ** Math.min(attempt, 6));
        this.deps.logger.warn({ err: error, attempt, delayMs: delay }, `${what} failed; retrying`);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }
}

/**
 * The Gateway whose provisioned data plane this object is (its Service): any change of it,
 * status included, is that Gateway's business (addresses; a deleted Service is made again).
 */
function dataPlaneOwners(
  kind: MirroredKind,
  before: KubeObject | undefined,
  after: KubeObject | undefined,
): string[] {
  if (kind !== 'Service') return [];
  const keys = [before, after].flatMap((o) => {
    const key = o ? provisionedGatewayKey(o) : undefined;
    return key === undefined ? [] : [key];
  });
  return [...new Set(keys)];
}
