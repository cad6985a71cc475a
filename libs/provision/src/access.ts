/**
 * Least-privilege access to certificates for one data plane. The renderer reads the key
 * material of its HTTPS listeners from the API server (invariant 6: never through Redis), so
 * its pods run as their own ServiceAccount, and in each namespace holding one of its
 * certificate Secrets a Role grants `get` on exactly those Secrets (`resourceNames`; no
 * `list`, no `watch`), bound to that ServiceAccount. Objects in the Gateway's namespace are
 * owned by the Gateway; those in other namespaces cannot be (owner references do not cross
 * namespaces) and carry the Gateway's namespace label and annotation instead, so the
 * reconciler removes them itself.
 */
import {
  CERTIFICATE_NAMESPACES_ANNOTATION,
  certificateAccessName,
  GATEWAY_ANNOTATION,
  LABEL_GATEWAY_NAMESPACE,
  serviceAccountName,
} from './names.ts';
import {
  labelsOf,
  metadata,
  ownerReferences,
  sorted,
  stamped,
  type GatewayInfo,
  type ProvisionedObject,
} from './objects.ts';

const RBAC_VERSION = 'rbac.authorization.k8s.io/v1';

export interface CertificateAccess {
  /** The data plane pods' identity, in the Gateway's namespace. */
  serviceAccount: ProvisionedObject;
  /** A Role and its RoleBinding per namespace of certificate Secrets, sorted by namespace. */
  grants: ProvisionedObject[];
}

/** The Secret names to grant per namespace, both sorted (deterministic objects). */
function secretsByNamespace(gateway: GatewayInfo): Array<[string, string[]]> {
  const byNamespace = new Map<string, Set<string>>();
  for (const ref of gateway.certificates ?? []) {
    const names = byNamespace.get(ref.namespace) ?? new Set<string>();
    names.add(ref.name);
    byNamespace.set(ref.namespace, names);
  }
  return [...byNamespace.entries()]
    .map(([namespace, names]): [string, string[]] => [namespace, [...names].sort()])
    .sort(([a], [b]) => (a < b ? -1 : 1));
}

function grantMetadata(gateway: GatewayInfo, namespace: string): ProvisionedObject['metadata'] {
  return {
    name: certificateAccessName(gateway.namespace, gateway.name, namespace),
    namespace,
    labels: sorted({ ...labelsOf(gateway), [LABEL_GATEWAY_NAMESPACE]: gateway.namespace }),
    annotations: sorted({
      ...gateway.infrastructure?.annotations,
      [GATEWAY_ANNOTATION]: `${gateway.namespace}/${gateway.name}`,
    }),
    ownerReferences: namespace === gateway.namespace ? ownerReferences(gateway) : [],
  };
}

function role(gateway: GatewayInfo, namespace: string, secrets: string[]): ProvisionedObject {
  return stamped({
    apiVersion: RBAC_VERSION,
    kind: 'Role',
    metadata: grantMetadata(gateway, namespace),
    rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: secrets }],
  });
}

function roleBinding(gateway: GatewayInfo, namespace: string): ProvisionedObject {
  const meta = grantMetadata(gateway, namespace);
  return stamped({
    apiVersion: RBAC_VERSION,
    kind: 'RoleBinding',
    metadata: meta,
    // The same name every time: a RoleBinding's roleRef cannot change.
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: meta.name },
    subjects: [
      {
        kind: 'ServiceAccount',
        name: serviceAccountName(gateway.name),
        namespace: gateway.namespace,
      },
    ],
  });
}

/** The ServiceAccount, and the Roles and RoleBindings for the Gateway's certificates. */
export function certificateAccess(gateway: GatewayInfo): CertificateAccess {
  const byNamespace = secretsByNamespace(gateway);
  const meta = metadata(gateway, serviceAccountName(gateway.name));
  const namespaces = byNamespace.map(([namespace]) => namespace).join(',');
  if (namespaces !== '')
    meta.annotations = sorted({
      ...meta.annotations,
      [CERTIFICATE_NAMESPACES_ANNOTATION]: namespaces,
    });
  return {
    serviceAccount: stamped({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta }),
    grants: byNamespace.flatMap(([namespace, secrets]) => [
      role(gateway, namespace, secrets),
      roleBinding(gateway, namespace),
    ]),
  };
}
