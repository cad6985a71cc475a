/**
 * Scenarios about `spec.addresses`: static addresses (an unsupported type, an address the
 * data plane cannot use, one it can) and an IPAddress entry without a value.
 *
 * Upstream fills its placeholders from the suite's `UsableNetworkAddresses` and
 * `UnusableNetworkAddresses`; this harness's are fixed: in local mode the data plane's load
 * balancer serves on 127.0.0.1 only, and 203.0.113.10 (TEST-NET-3, RFC 5737) is never a
 * local address.
 */
import { RESOURCES, type KubeObject } from '@portico/kube';
import { gateway, http, INFRA, ref, SKIP_READINESS } from '../builders.ts';
import type { Scenario } from '../scenario.ts';
import { cond, listenerStatus } from './expect.ts';

interface SpecAddress {
  type?: string;
  value?: string;
}

/** Addresses the local data plane can serve on, and one it cannot. */
export const USABLE_ADDRESS: SpecAddress = { type: 'IPAddress', value: '127.0.0.1' };
export const UNUSABLE_ADDRESS: SpecAddress = { type: 'IPAddress', value: '203.0.113.10' };
const INVALID_ADDRESS: SpecAddress = {
  type: 'test/fake-invalid-type',
  value: 'fake address teehee!',
};

const STATIC_GW = ref(INFRA, 'gateway-static-addresses');

const addressesOf = (gw: KubeObject): SpecAddress[] =>
  (gw.spec as { addresses?: SpecAddress[] }).addresses ?? [];

const statusAddressesOf = (gw: KubeObject): SpecAddress[] =>
  (gw.status as { addresses?: SpecAddress[] } | undefined)?.addresses ?? [];

const staticAddresses: Scenario = {
  shortName: 'GatewayStaticAddresses',
  description:
    'An unsupported address type: Accepted False UnsupportedAddress; without it, an unusable IP: Programmed False AddressNotUsable; with only the usable IP: Programmed, and it alone in status.',
  manifests: [
    gateway(STATIC_GW, [http('http', { port: 8080 })], {
      annotations: SKIP_READINESS,
      spec: { addresses: [INVALID_ADDRESS, UNUSABLE_ADDRESS, USABLE_ADDRESS] },
    }),
  ],
  async run(t) {
    const without = async (drop: SpecAddress): Promise<void> => {
      const current = await t.cluster.get(RESOURCES.Gateway, STATIC_GW);
      const addresses = addressesOf(current).filter((a) => a.value !== drop.value);
      await t.cluster.mergePatch(RESOURCES.Gateway, STATIC_GW, { spec: { addresses } });
      await t.cluster.gatewayLatestConditions(STATIC_GW);
    };
    await t.step('latest conditions', () => t.cluster.gatewayLatestConditions(STATIC_GW));
    const initial = addressesOf(await t.cluster.get(RESOURCES.Gateway, STATIC_GW));
    if (initial.length !== 3) throw new Error(`expected 3 spec addresses, got ${initial.length}`);
    await t.step('Accepted False/UnsupportedAddress', () =>
      t.cluster.gatewayCondition(STATIC_GW, cond('Accepted', 'False', 'UnsupportedAddress')),
    );
    await t.step('drop the invalid address', () => without(INVALID_ADDRESS));
    await t.step('Accepted True, Programmed False/AddressNotUsable', async () => {
      await t.cluster.gatewayCondition(STATIC_GW, cond('Accepted', 'True', 'Accepted'));
      await t.cluster.gatewayCondition(STATIC_GW, cond('Programmed', 'False', 'AddressNotUsable'));
    });
    await t.step('drop the unusable address', () => without(UNUSABLE_ADDRESS));
    await t.step('Accepted and Programmed', async () => {
      await t.cluster.gatewayCondition(STATIC_GW, cond('Accepted', 'True', 'Accepted'));
      await t.cluster.gatewayCondition(STATIC_GW, cond('Programmed', 'True', 'Programmed'));
      await t.cluster.gatewayListeners(STATIC_GW, [
        listenerStatus('http', 0, [cond('Accepted', 'True'), cond('ResolvedRefs', 'True')]),
      ]);
    });
    await t.step('only the usable address in status', () =>
      t.cluster.until('one status address, the usable one', async () => {
        const status = statusAddressesOf(await t.cluster.get(RESOURCES.Gateway, STATIC_GW));
        if (status.length !== 1) return `status.addresses: ${JSON.stringify(status)}`;
        const [only] = status;
        if (!only || only.value !== USABLE_ADDRESS.value || only.type !== USABLE_ADDRESS.type)
          return `status.addresses: ${JSON.stringify(status)}`;
        return undefined;
      }),
    );
  },
};

const OPTIONAL_GW = ref(INFRA, 'gateway-without-address-value');

const optionalAddressValue: Scenario = {
  shortName: 'GatewayOptionalAddressValue',
  description:
    'spec.addresses with an IPAddress entry and no value: the Gateway is ready and gets an address.',
  manifests: [
    gateway(OPTIONAL_GW, [http('http', { port: 8080 })], {
      spec: { addresses: [{ type: 'IPAddress' }] },
    }),
  ],
  async run(t) {
    await t.step('namespace ready', () => t.cluster.namespacesReady([INFRA]));
    await t.step('latest conditions', () => t.cluster.gatewayLatestConditions(OPTIONAL_GW));
    await t.step('an address', () => t.cluster.gatewayAddress(OPTIONAL_GW, 'http'));
  },
};

export const ADDRESS_SCENARIOS: Scenario[] = [staticAddresses, optionalAddressValue];
