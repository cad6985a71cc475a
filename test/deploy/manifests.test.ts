// Every install under deploy/ rendered by the real `kubectl kustomize`, each object validated
// against the Kubernetes schemas, and the security and operability policies checked on what a
// user would actually apply.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES } from '@portico/kube';
import {
  DEPLOY_DIR,
  installableKustomizations,
  mustFind,
  renderKustomization,
  type KubeDoc,
} from './support/manifests.ts';
import {
  containerHardening,
  disruptionBudgetGaps,
  emptySelectors,
  missingReferences,
  namespacePlacement,
  rbacWildcards,
  redisExposure,
  secretReaders,
  unpinnedImages,
  watchGrants,
  writeGrants,
} from './support/policy.ts';
import { isBuiltIn, schemaErrors } from './support/schema.ts';

const POLICIES: Array<[string, (docs: readonly KubeDoc[]) => string[]]> = [
  ['no RBAC rule uses a wildcard', rbacWildcards],
  [
    'every container has probes, requests and limits, runs as non-root on a read-only root ' +
      'filesystem with all capabilities dropped and the RuntimeDefault seccomp profile',
    containerHardening,
  ],
  ['every namespaced object is in portico-system', namespacePlacement],
  ['every Service, PodDisruptionBudget and NetworkPolicy selects pods', emptySelectors],
  ['every workload with several pods has a PodDisruptionBudget', disruptionBudgetGaps],
  ["Redis admits only Portico's pods", redisExposure],
  ['every image is pinned to an exact version or digest', unpinnedImages],
];

/** Objects an install may leave to the operator: production's external Redis Secret. */
const OPERATOR_MADE: Record<string, string[]> = {
  'overlays/production': ['Secret/portico-redis'],
  'overlays/production-keda': ['Secret/portico-redis'],
};

describe.each(installableKustomizations())('deploy/%s', (dir) => {
  let docs: KubeDoc[] = [];
  beforeAll(async () => {
    docs = await renderKustomization(dir);
  });

  it('renders the namespace, the watcher and reconciler, and the GatewayParameters CRD, but no data plane (one is provisioned per Gateway)', () => {
    mustFind(docs, 'Namespace', 'portico-system');
    for (const name of ['portico-watcher', 'portico-reconciler'])
      mustFind(docs, 'Deployment', name);
    mustFind(docs, 'CustomResourceDefinition', 'gatewayparameters.portico.dev');
    expect(docs.filter((d) => d.kind === 'Deployment').map((d) => d.metadata.name)).not.toContain(
      'portico-dataplane',
    );
  });

  it('validates every built-in object against the Kubernetes schemas', async () => {
    const builtIn: KubeDoc[] = [];
    for (const doc of docs) if (await isBuiltIn(doc)) builtIn.push(doc);
    const custom = docs.filter((doc) => !builtIn.includes(doc)).map((doc) => doc.apiVersion);
    const expected = [
      ...(dir.includes('production') ? ['portico.dev/v1alpha1'] : []),
      ...(dir.includes('keda') ? ['keda.sh/v1alpha1'] : []),
    ].sort();
    expect([...new Set(custom)].sort()).toEqual(expected);
    const errors = (await Promise.all(builtIn.map(schemaErrors))).flat();
    expect(errors).toEqual([]);
  });

  it.each(POLICIES)('%s', (_name, check) => {
    expect(check(docs)).toEqual([]);
  });

  it('lets the watcher list and watch Secrets, and the reconciler get them by name (to grant data planes their certificates)', () => {
    expect(secretReaders(docs)).toEqual([
      'portico-reconciler: get (cluster)',
      'portico-watcher: list,watch (cluster)',
    ]);
  });

  it('installs everything it references, except what the operator must create', () => {
    expect(missingReferences(docs)).toEqual(OPERATOR_MADE[dir] ?? []);
  });

  it("grants the watcher list and watch on every kind Portico reads, and its Lease's name", () => {
    // Not the Lease (the watcher's own) nor Deployments (written by the reconciler, not read).
    const expected = Object.values(RESOURCES)
      .filter((type) => type.kind !== 'Lease' && type.kind !== 'Deployment')
      .map((type) => `${type.group}/${type.plural}`)
      .sort();
    expect(watchGrants(docs, 'portico-watcher')).toEqual(expected);
    const watcher = mustFind(docs, 'Deployment', 'portico-watcher');
    const env = (watcher.spec as WatcherSpec).template.spec.containers[0]?.env ?? [];
    const leaseName = env.find((e) => e.name === 'PORTICO_LEASE_NAME')?.value;
    const role = mustFind(docs, 'Role', 'portico-watcher-leader-election');
    const renew = (role.rules as Array<{ verbs: string[]; resourceNames?: string[] }>).find((r) =>
      r.verbs.includes('update'),
    );
    expect(leaseName).toBeDefined();
    expect(renew?.resourceNames).toEqual([leaseName]);
  });

  it('lets the reconciler write status and data planes, and the watcher only its Lease', () => {
    const grants = writeGrants(docs, 'portico-reconciler');
    // Status: only `update` of the status subresource (one per route or Gateway kind served).
    const status = grants.filter((g) => g.endsWith('/status'));
    expect(status.filter((g) => !/^update [a-z]+\/status$/.test(g))).toEqual([]);
    expect(status).toEqual(
      expect.arrayContaining(
        [
          'gatewayclasses',
          'gateways',
          'httproutes',
          'grpcroutes',
          'tcproutes',
          'backendtlspolicies',
        ].map((plural) => `update ${plural}/status`),
      ),
    );
    // Data planes: what provisioning writes, and nothing else.
    expect(grants.filter((g) => !g.endsWith('/status'))).toEqual([
      'create deployments',
      'create poddisruptionbudgets',
      'create rolebindings',
      'create roles',
      'create secrets',
      'create serviceaccounts',
      'create services',
      'delete deployments',
      'delete poddisruptionbudgets',
      'delete rolebindings',
      'delete roles',
      'delete secrets',
      'delete serviceaccounts',
      'delete services',
      'patch secrets',
      'update deployments',
      'update poddisruptionbudgets',
      'update rolebindings',
      'update roles',
      'update serviceaccounts',
      'update services',
    ]);
    expect(writeGrants(docs, 'portico-watcher')).toEqual(['create leases', 'update leases']);
  });
});

interface WatcherSpec {
  template: { spec: { containers: Array<{ env?: Array<{ name: string; value?: string }> }> } };
}

describe('deploy/crds', () => {
  // Rendering it would download the release asset: checked statically instead.
  it('is not rendered here (kustomize would fetch the upstream release over the network); it names the v1.6.1 standard install by URL', async () => {
    const text = await readFile(join(DEPLOY_DIR, 'crds', 'kustomization.yaml'), 'utf8');
    const kustomization = parse(text) as { resources: string[] };
    expect(kustomization.resources).toEqual([
      'https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.6.1/standard-install.yaml',
    ]);
  });

  it('no file under deploy/ carries a copy of a Gateway API CustomResourceDefinition (only our own)', async () => {
    const files = (await readdir(DEPLOY_DIR, { recursive: true })).filter((f) =>
      /\.ya?ml$/.test(f),
    );
    expect(files.length).toBeGreaterThan(5);
    const copies: string[] = [];
    for (const file of files) {
      const text = await readFile(join(DEPLOY_DIR, file), 'utf8');
      if (/^kind:\s*CustomResourceDefinition\s*$/m.test(text)) copies.push(file);
    }
    expect(copies).toEqual(['base/gatewayparameters-crd.yaml']);
    const ours = await readFile(join(DEPLOY_DIR, 'base', 'gatewayparameters-crd.yaml'), 'utf8');
    expect(ours).toMatch(/^\s+group: portico\.dev$/m);
    expect(ours).not.toContain('gateway.networking.k8s.io');
  });
});
