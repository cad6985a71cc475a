/**
 * Provisioning of certificate access and disruption budgets on the emulator: the data plane's
 * ServiceAccount gets `get` on exactly the certificate Secrets its Gateway's listeners may use
 * (by name, in each namespace holding one; a reference without a ReferenceGrant grants
 * nothing), the grants follow the references, and everything goes with the Gateway, also
 * what lives in other namespaces. More than one replica brings a PodDisruptionBudget.
 */
import { describe, expect, it } from 'vitest';
import { collectionPath, objectPath, RESOURCES } from '@portico/kube';
import { certificateAccessName, type ProvisionedKind } from '@portico/provision';
import { PROVISIONED_TYPES } from '../src/provision.ts';
import { GATEWAY_KEY, worldPerTest, type Json } from './helpers.ts';
import {
  createGatewayParameters,
  found,
  parametersRef,
  patchGateway,
  reconcileDone,
  startProvisioningWorld,
  storeCertificateSummary,
  useCertificates,
} from './provisioning.ts';

const ctx = worldPerTest({
  start: startProvisioningWorld,
  prepare: async (world) => {
    await world.rest.request('POST', collectionPath(RESOURCES.Namespace), {
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'certs' } },
    });
  },
});

/** Secrets as the watcher stores them: summaries of usable certificates, never their data. */
async function storeCertificates(): Promise<void> {
  for (const [namespace, name] of [
    ['default', 'site'],
    ['default', 'api'],
    ['certs', 'shared'],
    ['certs', 'ungranted-neighbour'],
  ] as const)
    await storeCertificateSummary(ctx.world, namespace, name);
}

const run = (key = GATEWAY_KEY) => reconcileDone(ctx.world, key, storeCertificates);
const get = (kind: ProvisionedKind, namespace: string, name: string) =>
  ctx.world.rest.request<Json>('GET', objectPath(PROVISIONED_TYPES[kind], namespace, name));
const exists = (kind: ProvisionedKind, namespace: string, name: string) =>
  found(get(kind, namespace, name));

async function grantFromDefault(): Promise<void> {
  await ctx.world.rest.request('POST', collectionPath(RESOURCES.ReferenceGrant, 'certs'), {
    body: {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'ReferenceGrant',
      metadata: { name: 'gateways-from-default' },
      spec: {
        from: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'default' }],
        to: [{ group: '', kind: 'Secret' }],
      },
    },
  });
}

const LOCAL = 'portico-my-gateway-certificates';
const FOREIGN = certificateAccessName('default', 'my-gateway', 'certs');
const resourceNames = async (namespace: string, name: string) =>
  ((await get('Role', namespace, name)).rules as Json[]).map((r) => r.resourceNames);

describe('certificate access of a provisioned data plane (emulator + Redis)', () => {
  it('grants get on exactly the referenced Secrets, per namespace, to the data plane identity', async () => {
    await grantFromDefault();
    await useCertificates(ctx.world, [
      { name: 'site' },
      { name: 'shared', namespace: 'certs' },
      { name: 'api' },
    ]);
    await run();
    const account = await get('ServiceAccount', 'default', 'portico-my-gateway');
    const gateway = await ctx.world.get('Gateway', 'my-gateway', 'default');
    expect(account.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'Gateway', uid: gateway.metadata.uid }),
    ]);
    const pod = (await get('Deployment', 'default', 'portico-my-gateway')).spec.template.spec;
    expect(pod.serviceAccountName).toBe('portico-my-gateway');

    expect(await resourceNames('default', LOCAL)).toEqual([['api', 'site']]);
    expect(await resourceNames('certs', FOREIGN)).toEqual([['shared']]);
    expect((await get('Role', 'default', LOCAL)).rules[0].verbs).toEqual(['get']);
    for (const namespace of ['default', 'certs']) {
      const name = namespace === 'default' ? LOCAL : FOREIGN;
      const binding = await get('RoleBinding', namespace, name);
      expect(binding.roleRef).toEqual({
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name,
      });
      expect(binding.subjects).toEqual([
        { kind: 'ServiceAccount', name: 'portico-my-gateway', namespace: 'default' },
      ]);
    }
    // Owner references do not cross namespaces: the foreign grant is ours by label instead.
    expect((await get('Role', 'certs', FOREIGN)).metadata.ownerReferences ?? []).toEqual([]);
  });

  it('grants nothing for a reference that no ReferenceGrant permits', async () => {
    await useCertificates(ctx.world, [{ name: 'site' }, { name: 'shared', namespace: 'certs' }]);
    await run();
    expect(await resourceNames('default', LOCAL)).toEqual([['site']]);
    expect(await exists('Role', 'certs', FOREIGN)).toBe(false);
    expect(await exists('RoleBinding', 'certs', FOREIGN)).toBe(false);
  });

  it('follows reference changes, and writes nothing when nothing changed', async () => {
    await grantFromDefault();
    await useCertificates(ctx.world, [{ name: 'site' }, { name: 'shared', namespace: 'certs' }]);
    await run();
    const before = (await get('Role', 'default', LOCAL)).metadata.resourceVersion;
    await run();
    expect((await get('Role', 'default', LOCAL)).metadata.resourceVersion).toBe(before);

    await useCertificates(ctx.world, [{ name: 'api' }]);
    await run();
    expect(await resourceNames('default', LOCAL)).toEqual([['api']]);
    expect(await exists('Role', 'certs', FOREIGN)).toBe(false);
    expect(await exists('RoleBinding', 'certs', FOREIGN)).toBe(false);

    await useCertificates(ctx.world, [{ name: 'shared', namespace: 'certs' }]);
    await run();
    expect(await exists('Role', 'default', LOCAL)).toBe(false);
    expect(await exists('RoleBinding', 'default', LOCAL)).toBe(false);
    expect(await resourceNames('certs', FOREIGN)).toEqual([['shared']]);
  });

  it('removes everything with the Gateway, in every namespace', async () => {
    await grantFromDefault();
    await useCertificates(ctx.world, [{ name: 'site' }, { name: 'shared', namespace: 'certs' }]);
    await run();
    expect(await exists('Role', 'certs', FOREIGN)).toBe(true);
    await ctx.world.rest.request('DELETE', objectPath(RESOURCES.Gateway, 'default', 'my-gateway'));
    await run();
    for (const [kind, namespace, name] of [
      ['ServiceAccount', 'default', 'portico-my-gateway'],
      ['Role', 'default', LOCAL],
      ['RoleBinding', 'default', LOCAL],
      ['Role', 'certs', FOREIGN],
      ['RoleBinding', 'certs', FOREIGN],
    ] as const)
      expect(await exists(kind, namespace, name), `${kind} ${namespace}/${name}`).toBe(false);
  });
});

describe('disruption budget of a provisioned data plane (emulator + Redis)', () => {
  const replicas = async (count: number) => {
    await createGatewayParameters(ctx.world, `replicas-${count}`, { replicas: count });
    await patchGateway(ctx.world, {
      spec: { infrastructure: { parametersRef: parametersRef(`replicas-${count}`) } },
    });
  };

  it('has one with several replicas (one pod at a time), none with one', async () => {
    await run();
    expect(await exists('PodDisruptionBudget', 'default', 'portico-my-gateway')).toBe(false);
    await replicas(3);
    await run();
    const budget = await get('PodDisruptionBudget', 'default', 'portico-my-gateway');
    const deployment = await get('Deployment', 'default', 'portico-my-gateway');
    expect(budget.spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: deployment.spec.selector.matchLabels },
    });
    await replicas(1);
    await run();
    expect(await exists('PodDisruptionBudget', 'default', 'portico-my-gateway')).toBe(false);
  });
});
