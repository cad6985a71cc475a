// The data planes an install provisions are part of what it runs: rendered from each install's
// own reconciler configuration through the pure provisioning core, they meet the same policies
// as the manifests, run the image the install names, and agree with that image.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@portico/local-stack';
import { dockerfileNameFor, lastOf, readDockerfile } from './support/dockerfile.ts';
import {
  installableKustomizations,
  mustFind,
  renderKustomization,
  type KubeDoc,
} from './support/manifests.ts';
import { podTemplates, resolvePort } from './support/pods.ts';
import {
  containerHardening,
  emptySelectors,
  escalations,
  rbacWildcards,
  unpinnedImages,
  writeGrants,
} from './support/policy.ts';
import { isBuiltIn, schemaErrors } from './support/schema.ts';
import {
  installDataPlaneEnvironment,
  provisionedDocs,
  SAMPLE_GATEWAY,
} from './support/provisioned.ts';

describe.each(installableKustomizations())('deploy/%s provisions data planes that', (dir) => {
  let docs: KubeDoc[] = [];
  let provisioned: KubeDoc[] = [];
  beforeAll(async () => {
    docs = await renderKustomization(dir);
    provisioned = provisionedDocs(docs);
  });

  it('are valid Kubernetes objects', async () => {
    for (const doc of provisioned) expect(await isBuiltIn(doc), doc.kind).toBe(true);
    expect((await Promise.all(provisioned.map(schemaErrors))).flat()).toEqual([]);
  });

  it('are hardened, pinned, and selected by their Service', () => {
    expect(containerHardening(provisioned)).toEqual([]);
    expect(unpinnedImages(provisioned)).toEqual([]);
    expect(emptySelectors(provisioned)).toEqual([]);
  });

  it('are what the reconciler may write, and grant nothing it does not hold (RBAC escalation)', () => {
    const kinds = new Set(provisioned.map((d) => d.kind));
    expect([...kinds].sort()).toEqual([
      'Deployment',
      'PodDisruptionBudget',
      'Role',
      'RoleBinding',
      'Secret',
      'Service',
      'ServiceAccount',
    ]);
    const grants = writeGrants(docs, 'portico-reconciler');
    for (const kind of kinds) expect(grants, kind).toContain(`create ${kind.toLowerCase()}s`);
    const roles = provisioned.filter((d) => d.kind === 'Role');
    expect(roles).toHaveLength(2);
    expect(escalations(docs, 'portico-reconciler', roles)).toEqual([]);
    expect(rbacWildcards(provisioned)).toEqual([]);
  });

  it('let the data plane read its certificate Secrets and CA ConfigMaps by name and nothing else', () => {
    const rules = provisioned
      .filter((d) => d.kind === 'Role')
      .map((d) => `${d.metadata.namespace}: ${JSON.stringify(d.rules)}`);
    expect(rules).toEqual([
      'apps: [{"apiGroups":[""],"resources":["secrets"],"verbs":["get"],"resourceNames":["edge-tls"]},{"apiGroups":[""],"resources":["configmaps"],"verbs":["get"],"resourceNames":["backend-ca"]}]',
      'certs: [{"apiGroups":[""],"resources":["secrets"],"verbs":["get"],"resourceNames":["wildcard-tls"]}]',
    ]);
    const [template] = podTemplates(provisioned);
    expect(template?.spec.serviceAccountName).toBe('portico-edge');
    const bindings = provisioned.filter((d) => d.kind === 'RoleBinding');
    for (const binding of bindings)
      expect(binding.subjects).toEqual([
        { kind: 'ServiceAccount', name: 'portico-edge', namespace: 'apps' },
      ]);
  });

  it('run the data plane image of the same release as the services', () => {
    const services = podTemplates(docs).find((t) => t.owner.metadata.name === 'portico-reconciler')
      ?.spec.containers[0]?.image;
    const image = installDataPlaneEnvironment(docs).image;
    expect(image).toMatch(/\/portico-dataplane:/);
    expect(image.split(':').pop()).toBe(services?.split(':').pop());
  });

  it('reach Redis through a URL that works from the Gateway namespace', () => {
    const url = installDataPlaneEnvironment(docs).redisUrl;
    if (docs.some((d) => d.kind === 'Deployment' && d.metadata.name === 'portico-redis'))
      expect(url).toBe('redis://portico-redis.portico-system.svc:6379');
    else expect(url).toBe('rediss://operator-made:6380'); // the operator's external Redis
  });
});

describe('a provisioned data plane and its image agree', () => {
  let docs: KubeDoc[] = [];
  beforeAll(async () => {
    docs = provisionedDocs(await renderKustomization('default'));
  });

  it("runs as the image's user a file that is in the image", async () => {
    const [template] = podTemplates(docs);
    const container = template?.spec.containers[0];
    const name = dockerfileNameFor(container?.image ?? '');
    expect(name).toBe('Dockerfile.dataplane');
    const dockerfile = await readDockerfile(name ?? '');
    const user = Number(lastOf(dockerfile, 'USER')?.split(':')[0]);
    expect(template?.spec.securityContext?.runAsUser).toBe(user);
    await expect(
      readFile(join(REPO_ROOT, container?.command?.[1] ?? ''), 'utf8'),
    ).resolves.toContain('import');
  });

  it('exposes each listener port on a Service port whose target is the port + offset in the pod', () => {
    const [template] = podTemplates(docs);
    const container = template?.spec.containers[0];
    if (!container) throw new Error('no container');
    const offset = Number(container.env?.find((e) => e.name === 'PORTICO_PORT_OFFSET')?.value);
    const service = mustFind(docs, 'Service', 'portico-edge');
    const ports = (service.spec as { ports: Array<{ port: number; targetPort: number | string }> })
      .ports;
    for (const listener of SAMPLE_GATEWAY.listeners) {
      const port = ports.find((p) => p.port === listener.port);
      expect(port, `Service port ${listener.port}`).toBeDefined();
      expect(resolvePort(container, port?.targetPort ?? -1)).toBe(listener.port + offset);
    }
    const ops = container.env?.find((e) => e.name === 'PORTICO_OPS_PORT')?.value;
    expect(resolvePort(container, container.readinessProbe?.httpGet?.port ?? -1)).toBe(Number(ops));
  });
});
