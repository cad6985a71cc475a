/**
 * Which Services a BackendTLSPolicy or ConfigMap change concerns: the policy's own targets,
 * or the targets of every policy naming the ConfigMap as a CA. `affectedKeys` turns them into
 * the Gateways whose routes use those Services (the policies' ancestors).
 */
import type { BackendTLSPolicy, ConfigMapSummary } from './backendtls-types.ts';
import { namespaceOf } from './keys.ts';
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
  const namespace = namespaceOf(configMap.metadata);
  return (snapshot.backendTlsPolicies ?? [])
    .filter(
      (p) =>
        namespaceOf(p.metadata) === namespace &&
        (p.spec.validation.caCertificateRefs ?? []).some(
          (ref) => ref.kind === 'ConfigMap' && ref.name === configMap.metadata.name,
        ),
    )
    .flatMap(policyServices);
}
