/**
 * Provisioning before or after publishing the IR: first whenever the IR names objects the data
 * plane may not read yet (its Role must grant them before the renderer asks), after it when
 * this worker already granted exactly those. Pure decisions, then the order of API calls and
 * IR publication in real reconciles (emulator and Redis).
 */
import { describe, expect, it } from 'vitest';
import { collectionPath, KubeRest, type RequestOptions } from '@portico/kube';
import type { GatewayIR } from '@portico/ir';
import { ProvisionedReads, readableKey } from '../src/provision-order.ts';
import { PROVISIONED_TYPES } from '../src/provision.ts';
import { GATEWAY_KEY, worldPerTest } from './helpers.ts';
import {
  reconcileDone,
  startProvisioningWorld,
  storeCertificateSummary,
  useCertificates,
} from './provisioning.ts';

function irNaming(certificates: Array<[string, string]>): GatewayIR {
  return {
    schemaVersion: 2,
    gateway: { namespace: 'default', name: 'gw' },
    httpServers: [
      {
        port: 443,
        hostname: null,
        listeners: [
          {
            name: 'https',
            certificates: certificates.map(([namespace, name]) => ({ namespace, name })),
          },
        ],
        rules: [],
      },
    ],
    upstreams: [],
  } as unknown as GatewayIR;
}

describe('readableKey', () => {
  it.each([
    [
      'order and duplicates do not matter',
      [
        ['a', 'x'],
        ['b', 'y'],
        ['a', 'x'],
      ],
      [
        ['b', 'y'],
        ['a', 'x'],
      ],
      true,
    ],
    ['another Secret differs', [['a', 'x']], [['a', 'z']], false],
    [
      'one more Secret differs',
      [['a', 'x']],
      [
        ['a', 'x'],
        ['a', 'z'],
      ],
      false,
    ],
  ] as Array<[string, Array<[string, string]>, Array<[string, string]>, boolean]>)(
    '%s',
    (_, left, right, same) => {
      expect(readableKey(irNaming(left)) === readableKey(irNaming(right))).toBe(same);
    },
  );
});

describe('ProvisionedReads', () => {
  it('asks for provisioning first until a success granted the same objects', () => {
    const reads = new ProvisionedReads();
    const one = readableKey(irNaming([['default', 'site']]));
    const two = readableKey(
      irNaming([
        ['default', 'site'],
        ['default', 'api'],
      ]),
    );
    expect(reads.mustPrecedePublish('gateway/default/gw', one)).toBe(true);
    reads.remember('gateway/default/gw', one);
    expect(reads.mustPrecedePublish('gateway/default/gw', one)).toBe(false);
    expect(reads.mustPrecedePublish('gateway/default/gw', two)).toBe(true);
    expect(reads.mustPrecedePublish('gateway/default/other', one)).toBe(true);
    reads.forget('gateway/default/gw');
    expect(reads.mustPrecedePublish('gateway/default/gw', one)).toBe(true);
  });
});

/** Records the data plane calls of provisioning, beside the IR publications. */
class RecordingRest extends KubeRest {
  readonly events: string[] = [];

  override request<T>(
    method: Parameters<KubeRest['request']>[0],
    path: string,
    options?: RequestOptions,
  ): Promise<T> {
    if (/\/(deployments|roles|rolebindings|serviceaccounts|poddisruptionbudgets)\b/.test(path))
      this.events.push('provision');
    return super.request<T>(method, path, options);
  }
}

const ctx = worldPerTest({ start: startProvisioningWorld });

describe('a reconcile with remembered grants', () => {
  it('publishes first only when the IR names nothing new to read', async () => {
    const world = ctx.world;
    const rest = new RecordingRest(world.rest.config);
    const provisioning = world.deps.provisioning;
    if (!provisioning) throw new Error('the provisioning world provisions');
    world.deps.provisioning = { ...provisioning, rest };
    world.deps.provisionedReads = new ProvisionedReads();
    const publish = world.deps.store.publishIR.bind(world.deps.store);
    world.deps.store = {
      ...world.deps.store,
      publishIR: (...args: Parameters<typeof publish>) => {
        rest.events.push('publish');
        return publish(...args);
      },
    };
    /** Whether the run's first data plane call came before its IR publication. */
    const provisionedFirst = async (): Promise<boolean> => {
      rest.events.length = 0;
      await reconcileDone(world, GATEWAY_KEY, async () => {
        await storeCertificateSummary(world, 'default', 'site');
      });
      expect(rest.events).toContain('publish');
      expect(rest.events).toContain('provision');
      return rest.events.indexOf('provision') < rest.events.indexOf('publish');
    };

    expect(await provisionedFirst()).toBe(true); // nothing granted yet by this worker
    expect(await provisionedFirst()).toBe(false); // same objects: the IR goes out first

    await useCertificates(world, [{ name: 'site' }]);
    expect(await provisionedFirst()).toBe(true); // a new certificate to read: grant it first
    expect(await provisionedFirst()).toBe(false);
    const roles = await world.rest.request<{ items: unknown[] }>(
      'GET',
      collectionPath(PROVISIONED_TYPES.Role, 'default'),
    );
    expect(roles.items.length).toBeGreaterThan(0);
  });
});
