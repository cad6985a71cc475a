/**
 * GatewayInfrastructure (feature GatewayInfrastructurePropagation): a Gateway's
 * `spec.infrastructure` labels and annotations reach what the implementation generates for it.
 * Upstream lists ServiceAccounts, Pods and Services labelled
 * `gateway.networking.k8s.io/gateway-name=<gateway>` in the Gateway's namespace, needs at least
 * one, and checks that each kind's first one carries them all. Portico generates a Deployment
 * and a Service (no ServiceAccount; the API emulator has no Pods): the Service is what is found.
 */
import { RESOURCES, type KubeObject } from '@portico/kube';
import { gateway, http, INFRA, ref } from '../builders.ts';
import type { Scenario } from '../scenario.ts';
import { cond } from './expect.ts';

const GW = ref(INFRA, 'gateway-with-infrastructure-metadata');
const LABELS = { 'portico.dev/conformance-label': 'propagated', team: 'edge' };
const ANNOTATIONS = { 'portico.dev/conformance-annotation': 'propagated too' };

/** Entries of `expected` missing or different in `actual`, as `key=value` (empty: a subset). */
function notContained(
  actual: Record<string, string> | undefined,
  expected: Record<string, string>,
) {
  return Object.entries(expected)
    .filter(([key, value]) => actual?.[key] !== value)
    .map(([key, value]) => `${key}=${value}`);
}

export const gatewayInfrastructure: Scenario = {
  shortName: 'GatewayInfrastructure',
  description:
    "The Gateway's infrastructure labels and annotations are on the resources generated for it (found by the gateway-name label).",
  manifests: [
    gateway(GW, [http('http')], {
      spec: { infrastructure: { labels: LABELS, annotations: ANNOTATIONS } },
    }),
  ],
  async run(t) {
    await t.step('Gateway accepted with infrastructure declared', async () => {
      await t.cluster.gatewayLatestConditions(GW);
      await t.cluster.gatewayCondition(GW, cond('Accepted', 'True'));
    });
    await t.step('generated resources carry the labels and annotations', async () => {
      await t.cluster.until('a generated Service with the gateway-name label', async () => {
        const services = (await t.cluster.list(RESOURCES.Service, INFRA)).filter(
          (s: KubeObject) =>
            s.metadata.labels?.['gateway.networking.k8s.io/gateway-name'] === GW.name,
        );
        const [first] = services;
        if (!first) return 'no Service, Pod or ServiceAccount has the gateway-name label';
        const missing = [
          ...notContained(first.metadata.labels, LABELS).map((l) => `label ${l}`),
          ...notContained(first.metadata.annotations, ANNOTATIONS).map((a) => `annotation ${a}`),
        ];
        return missing.length > 0
          ? `Service ${first.metadata.name} lacks ${missing.join(', ')}`
          : undefined;
      });
    });
  },
};
