/**
 * The Gateway's own TLS settings (`spec.tls`): the client certificate it presents to backends
 * that ask for one (`tls.backend.clientCertificateRef`, feature
 * GatewayBackendClientCertificate). Checked like a listener certificate: a core Secret,
 * permitted by a ReferenceGrant when in another namespace, holding a usable pair. The result is
 * the Gateway's `ResolvedRefs` condition, written only when the Gateway has such references,
 * and the certificate that TLS upstreams of this Gateway present.
 */
import {
  gatewayInvalidClientCertificateRef,
  gatewayRefNotPermitted,
  gatewayResolvedRefs,
  type DesiredCondition,
} from '@portico/conditions';
import { GATEWAY_GROUP, namespaceOf } from './keys.ts';
import type { SnapshotLookup } from './lookup.ts';
import { referenceAllowed } from './referencegrant.ts';
import type { SecretObjectReference } from './resources.ts';
import type { CertificateRef, GatewayNode } from './types.ts';

/** The parts of Gateway `spec.tls` read here. */
export interface GatewayTlsSpec {
  backend?: { clientCertificateRef?: SecretObjectReference };
}

/** `spec.tls` of a Gateway, when it has one. */
export function gatewayTlsSpec(gateway: GatewayNode): GatewayTlsSpec | undefined {
  return (gateway.source.spec as { tls?: GatewayTlsSpec }).tls;
}

/** `<ns>/<name>` of the Secrets a Gateway's `spec.tls` names (for the references index). */
export function gatewayTlsSecrets(spec: GatewayTlsSpec | undefined, namespace: string): string[] {
  const ref = spec?.backend?.clientCertificateRef;
  if (ref === undefined || (ref.group ?? '') !== '' || (ref.kind ?? 'Secret') !== 'Secret')
    return [];
  return [`${ref.namespace ?? namespace}/${ref.name}`];
}

/**
 * Adds `ResolvedRefs` to Gateways with a backend client certificate and records the usable
 * certificate on the node. Gateways without `spec.tls` references get no such condition.
 */
export function resolveGatewayClientCertificates(
  gateways: ReadonlyMap<string, GatewayNode>,
  lookup: SnapshotLookup,
): void {
  for (const gateway of gateways.values()) {
    const ref = gatewayTlsSpec(gateway)?.backend?.clientCertificateRef;
    if (ref === undefined) continue;
    const result = resolveClientCertificate(ref, namespaceOf(gateway.source.metadata), lookup);
    if ('reason' in result) {
      gateway.conditions.push(result);
    } else {
      gateway.conditions.push(gatewayResolvedRefs());
      gateway.backendClientCertificate = result;
    }
  }
}

function resolveClientCertificate(
  ref: SecretObjectReference,
  gatewayNamespace: string,
  lookup: SnapshotLookup,
): CertificateRef | DesiredCondition {
  const at = 'tls.backend.clientCertificateRef';
  const group = ref.group ?? '';
  const kind = ref.kind ?? 'Secret';
  if (group !== '' || kind !== 'Secret') {
    return gatewayInvalidClientCertificateRef(
      `${at}: ${group || 'core'}/${kind} is not supported: reference a core Secret`,
    );
  }
  const namespace = ref.namespace ?? gatewayNamespace;
  const key = `${namespace}/${ref.name}`;
  const grant = { group: GATEWAY_GROUP, kind: 'Gateway', namespace: gatewayNamespace };
  if (
    namespace !== gatewayNamespace &&
    !referenceAllowed(lookup.referenceGrants.get(namespace), grant, {
      group: '',
      kind: 'Secret',
      name: ref.name,
    })
  ) {
    return gatewayRefNotPermitted(
      `${at}: Secret ${key} is in another namespace and no ReferenceGrant allows it`,
    );
  }
  const secret = lookup.secrets.get(key);
  if (secret === undefined)
    return gatewayInvalidClientCertificateRef(`${at}: Secret ${key} not found`);
  if (!secret.hasCertificate || !secret.hasKey) {
    return gatewayInvalidClientCertificateRef(
      `${at}: Secret ${key} needs both tls.crt and tls.key`,
    );
  }
  if (secret.certificateError !== undefined) {
    return gatewayInvalidClientCertificateRef(
      `${at}: Secret ${key} is not usable: ${secret.certificateError}`,
    );
  }
  return { namespace, name: ref.name, contentHash: secret.contentHash };
}
