/**
 * Which Services a BackendTLSPolicy, ConfigMap or Secret change concerns: the policy's own
 * targets, or the targets of every policy naming the ConfigMap or Secret as a CA.
 * `affectedKeys` turns them into the Gateways whose routes use those Services (the policies'
 * ancestors).
 */
import type { BackendTLSPolicy, ConfigMapSummary } from './backendtls-types.ts';
import { namespaceOf } from './keys.ts';
import type { ObjectMeta } from './resources.ts';
import type { Snapshot } from './snapshot.ts';

/** `<ns>/<name>` of the Services a policy targets. */
export function policyServices(policy: BackendTLSPolicy): string[] {
  const namespace = namespaceOf(policy.metadata);
  return policy.spec.targetRefs
    .filter((ref) => (ref.group === '' || ref.group === 'core') && ref.kind === 'Service')
    .map((ref) => `${namespace}/${ref.name}`);
}

/** `<ns>/<name>` of the Services of every policy that names this ConfigMap as a CA. */
export function configMapServices(snapshot: Snapshot, configMap: ConfigMapSummary): string[] {
  return caHolderServices(snapshot, 'ConfigMap', configMap.metadata);
}

/** `<ns>/<name>` of the Services of every policy that names this Secret as a CA. */
export function caSecretServices(snapshot: Snapshot, secret: { metadata: ObjectMeta }): string[] {
  return caHolderServices(snapshot, 'Secret', secret.metadata);
}

function caHolderServices(
  snapshot: Snapshot,
  kind: 'ConfigMap' | 'Secret',
  metadata: ObjectMeta,
): string[] {
  const namespace = namespaceOf(metadata);
  return (snapshot.backendTlsPolicies ?? [])
    .filter(
      (p) =>
        namespaceOf(p.metadata) === namespace &&
        (p.spec.validation.caCertificateRefs ?? []).some(
          (ref) =>
            (ref.group === '' || ref.group === 'core') &&
            ref.kind === kind &&
            ref.name === metadata.name,
        ),
    )
    .flatMap(policyServices);
}
