/**
 * The data plane an install provisions, as the reconciler of that install would: its
 * environment resolved from the rendered reconciler Deployment (ConfigMap, Secret), then the pure
 * `desiredDataPlane` for a Gateway. The manifests tests hold these objects to the same policies
 * as the rest of the install.
 */
import {
  DEFAULT_SETTINGS,
  dataPlaneEnvironmentFromEnv,
  desiredDataPlane,
  type DataPlaneEnvironment,
  type GatewayInfo,
} from '@portico/provision';
import type { KubeDoc } from './manifests.ts';
import { resolveEnv } from './local-run.ts';
import { podTemplates } from './pods.ts';

/**
 * A Gateway like the seed's: HTTP on 80 and HTTPS on 443, with a certificate in its own
 * namespace and one in another (so both kinds of certificate access are provisioned), and a
 * backend CA bundle in a ConfigMap.
 */
export const SAMPLE_GATEWAY: GatewayInfo = {
  namespace: 'apps',
  name: 'edge',
  uid: '00000000-0000-0000-0000-000000000001',
  listeners: [
    { port: 80, protocol: 'HTTP' },
    { port: 443, protocol: 'HTTPS' },
  ],
  certificates: [
    { namespace: 'apps', name: 'edge-tls' },
    { namespace: 'certs', name: 'wildcard-tls' },
  ],
  configMaps: [{ namespace: 'apps', name: 'backend-ca' }],
};

/** The data plane environment the install's reconciler runs with. */
export function installDataPlaneEnvironment(docs: readonly KubeDoc[]): DataPlaneEnvironment {
  const template = podTemplates(docs).find((t) => t.owner.metadata.name === 'portico-reconciler');
  const container = template?.spec.containers[0];
  if (!template || !container) throw new Error('no reconciler Deployment');
  // Without the bundled Redis (production), the operator's Secret holds REDIS_URL.
  const withSecret = docs.some((d) => d.kind === 'Secret' && d.metadata.name === 'portico-redis')
    ? docs
    : [
        ...docs,
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'portico-redis' },
          stringData: { REDIS_URL: 'rediss://operator-made:6380' },
        },
      ];
  const env = resolveEnv(withSecret, template, container, 'portico-reconciler-0');
  const environment = dataPlaneEnvironmentFromEnv(env);
  if (!environment) throw new Error('the install turns provisioning off');
  return environment;
}

/**
 * Every object provisioned for `gateway` by this install, with two replicas (so the
 * PodDisruptionBudget is among them); the Deployment first.
 */
export function provisionedDocs(docs: readonly KubeDoc[], gateway = SAMPLE_GATEWAY): KubeDoc[] {
  const settings = { ...DEFAULT_SETTINGS, replicas: 2 };
  const result = desiredDataPlane(gateway, settings, installDataPlaneEnvironment(docs));
  if (!result.ok) throw new Error(result.message);
  const { deployment, service, secret, serviceAccount, certificateAccess, disruptionBudget } =
    result.objects;
  const all = [deployment, service, secret, serviceAccount, ...certificateAccess];
  if (disruptionBudget) all.push(disruptionBudget);
  return all as unknown as KubeDoc[];
}
