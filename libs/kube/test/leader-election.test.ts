import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  makeTempDir,
  removeTempDir,
  spawnManaged,
  waitFor,
  type ManagedProcess,
} from '@portico/testing';
import {
  KubeRest,
  RESOURCES,
  objectPath,
  startLeaderElection,
  type KubeObject,
  type LeaderElectionOptions,
  type LeaderElector,
} from '../src/index.ts';
import { startApi, type Api } from './helpers.ts';

let api: Api;
let dir: string;
let kubeconfigPath: string;
const running: LeaderElector[] = [];
const children: ManagedProcess[] = [];

beforeAll(async () => {
  api = await startApi();
  dir = await makeTempDir('kube-election');
  kubeconfigPath = join(dir, 'kubeconfig');
  await api.emulator.writeKubeconfig(kubeconfigPath);
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((elector) => elector.stop()));
  await Promise.all(children.splice(0).map((child) => child.stop({ signal: 'SIGKILL' })));
});
afterAll(async () => {
  await api.stop();
  await removeTempDir(dir);
});

type Lease = KubeObject & {
  spec: { holderIdentity?: string; renewTime?: string; leaseTransitions?: number };
};
const readLease = (name: string) =>
  api.rest.request<Lease>('GET', objectPath(RESOURCES.Lease, 'default', name));

interface Candidate {
  identity: string;
  elector: LeaderElector;
  events: string[];
}

function candidate(
  identity: string,
  lease: string,
  overrides: Partial<LeaderElectionOptions> = {},
): Candidate {
  const events: string[] = [];
  const elector = startLeaderElection({
    rest: api.rest,
    namespace: 'default',
    name: lease,
    identity,
    leaseDurationSeconds: 2,
    renewDeadlineMs: 1_500,
    retryPeriodMs: 100,
    onStartedLeading: () => events.push('started'),
    onStoppedLeading: () => events.push('stopped'),
    ...overrides,
  });
  running.push(elector);
  return { identity, elector, events };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Samples both candidates for `ms`; returns how many leaders each sample saw. */
async function leaderCounts(candidates: Candidate[], ms: number): Promise<Set<number>> {
  const counts = new Set<number>();
  for (const end = Date.now() + ms; Date.now() < end; await sleep(20))
    counts.add(candidates.filter((c) => c.elector.isLeader()).length);
  return counts;
}

async function waitForLeader(c: Candidate, timeoutMs: number): Promise<number> {
  const started = Date.now();
  await waitFor(() => c.elector.isLeader(), {
    description: `${c.identity} to lead`,
    timeoutMs,
    intervalMs: 10,
  });
  return Date.now() - started;
}

describe('startLeaderElection', () => {
  it('lets exactly one of two candidates lead, and the standby take over a released lease', async () => {
    const slow = { leaseDurationSeconds: 5, renewDeadlineMs: 4_000 };
    const pair = [candidate('alpha', 'release', slow), candidate('bravo', 'release', slow)];
    const leader = await waitFor(() => pair.find((c) => c.elector.isLeader()), {
      description: 'a leader',
      timeoutMs: 5_000,
    });
    const standby = pair.find((c) => c !== leader) as Candidate;
    expect(await leaderCounts(pair, 800)).toEqual(new Set([1]));
    expect((await readLease('release')).spec.holderIdentity).toBe(leader.identity);
    expect(standby.events).toEqual([]);

    await leader.elector.stop();
    // The lease lasts 5 s from the last renewal; a released one is taken over at the
    // standby's next round (100 ms), long before it could have expired.
    expect(await waitForLeader(standby, 4_500)).toBeLessThan(4_500);
    expect(leader.elector.isLeader()).toBe(false);
    const lease = await readLease('release');
    expect(lease.spec.holderIdentity).toBe(standby.identity);
    expect(lease.spec.leaseTransitions).toBe(1);
  });

  it.each([1, 2, 3, 4, 5])(
    'releases the lease on stop() even while a renewal is in flight (round %i)',
    async (round) => {
      // Slow answers keep a renewal in flight most of the time; stop() must wait for it, or
      // that renewal lands after the release and the lease stays held until it expires.
      api.emulator.faults.setLatency(40);
      try {
        const solo = candidate('solo', `in-flight-${round}`);
        await waitForLeader(solo, 5_000);
        await sleep(20 * round);
        await solo.elector.stop();
        const lease = await readLease(`in-flight-${round}`);
        expect(lease.spec.holderIdentity).toBe('');
      } finally {
        api.emulator.faults.setLatency(0);
      }
    },
  );

  it('takes over from a leader that vanished without releasing, once the lease expired', async () => {
    const child = spawnManaged(
      process.execPath,
      [join(import.meta.dirname, 'fixtures/elector.ts')],
      {
        name: 'elector',
        env: {
          ...process.env,
          KUBECONFIG: kubeconfigPath,
          LEASE_NAME: 'vanish',
          IDENTITY: 'doomed',
          LEASE_SECONDS: '2',
          RETRY_MS: '100',
        },
      },
    );
    children.push(child);
    await waitFor(() => child.output().includes('leading'), {
      description: 'the child elector to lead',
      timeoutMs: 10_000,
    });
    const standby = candidate('survivor', 'vanish');
    await sleep(500);
    expect(standby.elector.isLeader()).toBe(false);

    await child.stop({ signal: 'SIGKILL' });
    const killedAt = Date.now();
    const orphaned = await readLease('vanish');
    expect(orphaned.spec.holderIdentity).toBe('doomed');
    const lastRenew = Date.parse(orphaned.spec.renewTime ?? '');
    await waitForLeader(standby, 8_000);
    const takenOverAt = Date.now();
    // Not before the dead leader's lease (2 s from its last renewal) expired, not much after.
    expect(takenOverAt - lastRenew).toBeGreaterThan(2_000);
    expect(takenOverAt - killedAt).toBeLessThan(6_000);
    const lease = await readLease('vanish');
    expect(lease.spec.holderIdentity).toBe('survivor');
    expect(lease.spec.leaseTransitions).toBe(1);
  });

  it('steps down when it cannot renew within the renew deadline', async () => {
    let cut = false;
    const rest = new KubeRest(api.rest.config);
    const request = rest.request.bind(rest);
    rest.request = (async (...args: Parameters<KubeRest['request']>) => {
      if (cut) throw new Error('connection refused (partitioned from the API server)');
      return request(...args);
    }) as KubeRest['request'];
    const errors: unknown[] = [];
    const lonely = candidate('lonely', 'partition', {
      rest,
      renewDeadlineMs: 400,
      onError: (error) => errors.push(error),
    });
    await waitForLeader(lonely, 5_000);
    cut = true;
    await waitFor(() => !lonely.elector.isLeader(), {
      description: 'the partitioned leader to step down',
      timeoutMs: 3_000,
    });
    expect(lonely.events).toEqual(['started', 'stopped']);
    expect(errors.length).toBeGreaterThan(0);
  });
});
