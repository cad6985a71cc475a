/**
 * Lease-based leader election (coordination.k8s.io/v1), the same protocol as client-go's
 * leaderelection: the holder renews `renewTime`; a candidate takes the Lease over once
 * `renewTime + leaseDurationSeconds` has passed. A leader that cannot renew within
 * `renewDeadlineMs` steps down (the caller exits, like controller-runtime does), so two
 * watchers never act as leader for long at the same time.
 */
import { KubeApiError, isConflict, isNotFound, type KubeObject, type KubeRest } from './rest.ts';
import { RESOURCES, apiVersionOf, collectionPath, objectPath } from './resources.ts';

export interface LeaderElectionOptions {
  rest: KubeRest;
  namespace: string;
  name: string;
  identity: string;
  leaseDurationSeconds?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  onStartedLeading: () => void;
  onStoppedLeading: () => void;
  onError?: (error: unknown) => void;
  now?: () => Date;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

type Lease = KubeObject & { spec?: LeaseSpec };

/** Kubernetes MicroTime: RFC 3339 with microseconds. */
function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export interface LeaderElector {
  isLeader(): boolean;
  /** Stops campaigning; a leader releases the Lease so a standby takes over at once. */
  stop(): Promise<void>;
}

export function startLeaderElection(options: LeaderElectionOptions): LeaderElector {
  const type = RESOURCES.Lease;
  const duration = options.leaseDurationSeconds ?? 15;
  const renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
  const retryPeriodMs = options.retryPeriodMs ?? 2_000;
  const now = options.now ?? (() => new Date());
  const path = objectPath(type, options.namespace, options.name);
  let leader = false;
  let lastRenew = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  // The round in progress: stop() waits for it, or its renewal could land after the release.
  let inFlight: Promise<void> = Promise.resolve();

  const desiredSpec = (previous: LeaseSpec | undefined, at: Date): LeaseSpec => {
    const takingOver = previous?.holderIdentity !== options.identity;
    return {
      holderIdentity: options.identity,
      leaseDurationSeconds: duration,
      acquireTime: takingOver ? microTime(at) : (previous?.acquireTime ?? microTime(at)),
      renewTime: microTime(at),
      leaseTransitions: (previous?.leaseTransitions ?? 0) + (takingOver && previous ? 1 : 0),
    };
  };

  const tryAcquireOrRenew = async (): Promise<boolean> => {
    const at = now();
    let lease: Lease;
    try {
      lease = await options.rest.request<Lease>('GET', path);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await options.rest.request('POST', collectionPath(type, options.namespace), {
        body: {
          apiVersion: apiVersionOf(type),
          kind: type.kind,
          metadata: { name: options.name, namespace: options.namespace },
          spec: desiredSpec(undefined, at),
        },
      });
      return true;
    }
    const spec = lease.spec ?? {};
    const held = spec.holderIdentity && spec.holderIdentity !== options.identity;
    const renewedAt = spec.renewTime ? Date.parse(spec.renewTime) : 0;
    const expired = renewedAt + (spec.leaseDurationSeconds ?? duration) * 1000 < at.getTime();
    if (held && !expired) return false;
    await options.rest.request('PUT', path, { body: { ...lease, spec: desiredSpec(spec, at) } });
    return true;
  };

  const round = async (): Promise<void> => {
    try {
      const acquired = await tryAcquireOrRenew();
      if (acquired) lastRenew = Date.now();
      if (acquired && !leader && !stopped) {
        leader = true;
        options.onStartedLeading();
      }
    } catch (error) {
      if (!isConflict(error)) options.onError?.(error);
    }
    if (leader && Date.now() - lastRenew > renewDeadlineMs) {
      leader = false;
      options.onStoppedLeading();
    }
    if (!stopped)
      timer = setTimeout(() => (inFlight = round()), leader ? retryPeriodMs / 2 : retryPeriodMs);
  };

  inFlight = round();

  return {
    isLeader: () => leader,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight;
      if (!leader) return;
      leader = false;
      try {
        const lease = await options.rest.request<Lease>('GET', path);
        if (lease.spec?.holderIdentity !== options.identity) return;
        const spec = { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1 };
        await options.rest.request('PUT', path, { body: { ...lease, spec } });
      } catch (error) {
        if (!(error instanceof KubeApiError)) throw error;
      }
    },
  };
}
