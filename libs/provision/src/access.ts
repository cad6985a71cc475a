/**
 * Least-privilege access to certificates for one data plane. The renderer reads the key
 * material of its TLS listeners and the CA bundles of its backends from the API server
 * (invariant 6: never through Redis), so its pods run as their own ServiceAccount, and in each
 * namespace holding one of those Secrets or ConfigMaps a Role grants `get` on exactly them
 * (`resourceNames`; no `list`, no `watch`), bound to that ServiceAccount. Objects in the Gateway's namespace are
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

/** What to grant in one namespace: Secret and ConfigMap names, both sorted. */
interface NamespaceGrant {
  secrets: string[];
  configMaps: string[];
}

/** The names to grant per namespace, sorted by namespace (deterministic objects). */
function grantsByNamespace(gateway: GatewayInfo): Array<[string, NamespaceGrant]> {
  const byNamespace = new Map<string, { secrets: Set<string>; configMaps: Set<string> }>();
  const entry = (namespace: string) => {
    const found = byNamespace.get(namespace) ?? { secrets: new Set(), configMaps: new Set() };
    byNamespace.set(namespace, found);
    return found;
  };
  for (const ref of gateway.certificates ?? []) entry(ref.namespace).secrets.add(ref.name);
  for (const ref of gateway.configMaps ?? []) entry(ref.namespace).configMaps.add(ref.name);
  return [...byNamespace.entries()]
    .map(([namespace, names]): [string, NamespaceGrant] => [
      namespace,
      { secrets: [...names.secrets].sort(), configMaps: [...names.configMaps].sort() },
    ])
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

function role(gateway: GatewayInfo, namespace: string, grant: NamespaceGrant): ProvisionedObject {
  const rule = (resource: string, names: string[]) =>
    names.length === 0
      ? []
      : [{ apiGroups: [''], resources: [resource], verbs: ['get'], resourceNames: names }];
  return stamped({
    apiVersion: RBAC_VERSION,
    kind: 'Role',
    metadata: grantMetadata(gateway, namespace),
    rules: [...rule('secrets', grant.secrets), ...rule('configmaps', grant.configMaps)],
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
  const byNamespace = grantsByNamespace(gateway);
  const meta = metadata(gateway, serviceAccountName(gateway.name));
  const namespaces = byNamespace.map(([namespace]) => namespace).join(',');
  if (namespaces !== '')
    meta.annotations = sorted({
      ...meta.annotations,
      [CERTIFICATE_NAMESPACES_ANNOTATION]: namespaces,
    });
  return {
    serviceAccount: stamped({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta }),
    grants: byNamespace.flatMap(([namespace, grant]) => [
      role(gateway, namespace, grant),
      roleBinding(gateway, namespace),
    ]),
  };
}
