/**
 * The kinds the emulator serves, as one table: adding a kind is adding one entry. Everything else
 * (routing, discovery, OpenAPI, tables, patch strategies) is derived from these entries.
 */

/** One printer column, in the shape of a CRD's `additionalPrinterColumns`. */
export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
  priority?: number;
  description?: string;
  /**
   * Emulator extension for built-in kinds: join every JSONPath result with commas (like
   * kube-apiserver's `80/TCP,443/TCP`) instead of the CRD convertor's first result only.
   */
  joinAll?: boolean;
}

/**
 * Strategic-merge-patch metadata of a built-in kind: list fields (dotted paths from the object
 * root) merged by a key, and lists of primitives merged as sets. Lists not named are atomic.
 */
export interface PatchMeta {
  mergeKeys: Readonly<Record<string, string>>;
  primitiveMergeLists: readonly string[];
}

/** One served kind. `versions` lists the served versions, the preferred one first. */
export interface KindInfo {
  group: string;
  versions: readonly string[];
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: readonly string[];
  categories: readonly string[];
  hasStatus: boolean;
  printerColumns: readonly PrinterColumn[];
  /** Present for built-in kinds only: they accept strategic merge patch, custom kinds do not. */
  patchMeta?: PatchMeta;
}

const age: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };
const metadataMerge = {
  'metadata.ownerReferences': 'uid',
};
const builtIn = (mergeKeys: Record<string, string> = {}): PatchMeta => ({
  mergeKeys: { ...metadataMerge, ...mergeKeys },
  primitiveMergeLists: ['metadata.finalizers'],
});
const gatewayApi = 'gateway.networking.k8s.io';
const gatewayCategories = ['gateway-api'];
const condition = (type: string): string => `.status.conditions[?(@.type=="${type}")].status`;

/** A Gateway API route kind: same shape for the four route kinds without their own columns. */
function route(kind: string, extra: readonly PrinterColumn[] = []): KindInfo {
  return {
    group: gatewayApi,
    versions: ['v1'],
    kind,
    plural: `${kind.toLowerCase()}s`,
    singular: kind.toLowerCase(),
    namespaced: true,
    shortNames: [],
    categories: gatewayCategories,
    hasStatus: true,
    printerColumns: [...extra, age],
  };
}

const hostnames: PrinterColumn = { name: 'Hostnames', type: 'string', jsonPath: '.spec.hostnames' };

/**
 * The kinds. Gateway API entries follow the v1.6.1 standard-channel CRDs (`served:` versions,
 * names, short names, categories, `additionalPrinterColumns`); built-ins follow kube-apiserver.
 */
export const KINDS: readonly KindInfo[] = [
  {
    group: '',
    versions: ['v1'],
    kind: 'Namespace',
    plural: 'namespaces',
    singular: 'namespace',
    namespaced: false,
    shortNames: ['ns'],
    categories: [],
    hasStatus: true,
    printerColumns: [{ name: 'Status', type: 'string', jsonPath: '.status.phase' }, age],
    patchMeta: builtIn({ 'status.conditions': 'type' }),
  },
  {
    group: '',
    versions: ['v1'],
    kind: 'Service',
    plural: 'services',
    singular: 'service',
    namespaced: true,
    shortNames: ['svc'],
    categories: ['all'],
    hasStatus: true,
    printerColumns: [
      { name: 'Type', type: 'string', jsonPath: '.spec.type' },
      { name: 'Cluster-IP', type: 'string', jsonPath: '.spec.clusterIP' },
      {
        name: 'External-IP',
        type: 'string',
        jsonPath: '.status.loadBalancer.ingress[*].ip',
        joinAll: true,
      },
      { name: 'Port(s)', type: 'string', jsonPath: '.spec.ports[*].port', joinAll: true },
      age,
    ],
    patchMeta: builtIn({ 'spec.ports': 'port', 'status.conditions': 'type' }),
  },
  {
    group: '',
    versions: ['v1'],
    kind: 'Secret',
    plural: 'secrets',
    singular: 'secret',
    namespaced: true,
    shortNames: [],
    categories: [],
    hasStatus: false,
    printerColumns: [{ name: 'Type', type: 'string', jsonPath: '.type' }, age],
    patchMeta: builtIn(),
  },
  {
    group: '',
    versions: ['v1'],
    kind: 'ConfigMap',
    plural: 'configmaps',
    singular: 'configmap',
    namespaced: true,
    shortNames: ['cm'],
    categories: [],
    hasStatus: false,
    printerColumns: [age],
    patchMeta: builtIn(),
  },
  {
    group: '',
    versions: ['v1'],
    kind: 'Event',
    plural: 'events',
    singular: 'event',
    namespaced: true,
    shortNames: ['ev'],
    categories: [],
    hasStatus: false,
    printerColumns: [
      { name: 'Last Seen', type: 'date', jsonPath: '.lastTimestamp' },
      { name: 'Type', type: 'string', jsonPath: '.type' },
      { name: 'Reason', type: 'string', jsonPath: '.reason' },
      { name: 'Object', type: 'string', jsonPath: '.involvedObject.name' },
      { name: 'Message', type: 'string', jsonPath: '.message' },
    ],
    patchMeta: builtIn(),
  },
  {
    group: 'discovery.k8s.io',
    versions: ['v1'],
    kind: 'EndpointSlice',
    plural: 'endpointslices',
    singular: 'endpointslice',
    namespaced: true,
    shortNames: [],
    categories: [],
    hasStatus: false,
    printerColumns: [
      { name: 'AddressType', type: 'string', jsonPath: '.addressType' },
      { name: 'Ports', type: 'string', jsonPath: '.ports[*].port', joinAll: true },
      {
        name: 'Endpoints',
        type: 'string',
        jsonPath: '.endpoints[*].addresses[*]',
        joinAll: true,
      },
      age,
    ],
    patchMeta: builtIn(),
  },
  {
    group: 'coordination.k8s.io',
    versions: ['v1'],
    kind: 'Lease',
    plural: 'leases',
    singular: 'lease',
    namespaced: true,
    shortNames: [],
    categories: [],
    hasStatus: false,
    printerColumns: [{ name: 'Holder', type: 'string', jsonPath: '.spec.holderIdentity' }, age],
    patchMeta: builtIn(),
  },
  {
    group: 'apps',
    versions: ['v1'],
    kind: 'Deployment',
    plural: 'deployments',
    singular: 'deployment',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
    hasStatus: true,
    printerColumns: [
      { name: 'Ready', type: 'integer', jsonPath: '.status.readyReplicas' },
      { name: 'Up-to-date', type: 'integer', jsonPath: '.status.updatedReplicas' },
      { name: 'Available', type: 'integer', jsonPath: '.status.availableReplicas' },
      age,
    ],
    patchMeta: builtIn({
      'spec.template.spec.containers': 'name',
      'spec.template.spec.volumes': 'name',
      'status.conditions': 'type',
    }),
  },
  // Per-Gateway data planes also get a ServiceAccount, a Role and RoleBinding per namespace of
  // their certificate Secrets, and a PodDisruptionBudget (services/reconciler/src/provision.ts).
  {
    group: '',
    versions: ['v1'],
    kind: 'ServiceAccount',
    plural: 'serviceaccounts',
    singular: 'serviceaccount',
    namespaced: true,
    shortNames: ['sa'],
    categories: [],
    hasStatus: false,
    printerColumns: [age],
    patchMeta: builtIn(),
  },
  {
    group: 'rbac.authorization.k8s.io',
    versions: ['v1'],
    kind: 'Role',
    plural: 'roles',
    singular: 'role',
    namespaced: true,
    shortNames: [],
    categories: [],
    hasStatus: false,
    printerColumns: [{ name: 'Created At', type: 'date', jsonPath: '.metadata.creationTimestamp' }],
    patchMeta: builtIn(),
  },
  {
    group: 'rbac.authorization.k8s.io',
    versions: ['v1'],
    kind: 'RoleBinding',
    plural: 'rolebindings',
    singular: 'rolebinding',
    namespaced: true,
    shortNames: [],
    categories: [],
    hasStatus: false,
    printerColumns: [{ name: 'Role', type: 'string', jsonPath: '.roleRef.name' }, age],
    patchMeta: builtIn(),
  },
  {
    group: 'policy',
    versions: ['v1'],
    kind: 'PodDisruptionBudget',
    plural: 'poddisruptionbudgets',
    singular: 'poddisruptionbudget',
    namespaced: true,
    shortNames: ['pdb'],
    categories: [],
    hasStatus: true,
    printerColumns: [
      { name: 'Min Available', type: 'string', jsonPath: '.spec.minAvailable' },
      { name: 'Max Unavailable', type: 'string', jsonPath: '.spec.maxUnavailable' },
      { name: 'Allowed Disruptions', type: 'integer', jsonPath: '.status.disruptionsAllowed' },
      age,
    ],
    patchMeta: builtIn({ 'status.conditions': 'type' }),
  },
  {
    // Portico's own settings kind (a CRD in a cluster: deploy/base/gatewayparameters-crd.yaml).
    group: 'portico.dev',
    versions: ['v1alpha1'],
    kind: 'GatewayParameters',
    plural: 'gatewayparameters',
    singular: 'gatewayparameters',
    namespaced: true,
    shortNames: ['gwparams'],
    categories: ['portico'],
    hasStatus: false,
    printerColumns: [
      { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
      { name: 'Service', type: 'string', jsonPath: '.spec.service.type' },
      age,
    ],
  },
  {
    group: gatewayApi,
    versions: ['v1', 'v1beta1'],
    kind: 'GatewayClass',
    plural: 'gatewayclasses',
    singular: 'gatewayclass',
    namespaced: false,
    shortNames: ['gc'],
    categories: gatewayCategories,
    hasStatus: true,
    printerColumns: [
      { name: 'Controller', type: 'string', jsonPath: '.spec.controllerName' },
      { name: 'Accepted', type: 'string', jsonPath: condition('Accepted') },
      age,
      { name: 'Description', type: 'string', jsonPath: '.spec.description', priority: 1 },
    ],
  },
  {
    group: gatewayApi,
    versions: ['v1', 'v1beta1'],
    kind: 'Gateway',
    plural: 'gateways',
    singular: 'gateway',
    namespaced: true,
    shortNames: ['gtw'],
    categories: gatewayCategories,
    hasStatus: true,
    printerColumns: [
      { name: 'Class', type: 'string', jsonPath: '.spec.gatewayClassName' },
      { name: 'Address', type: 'string', jsonPath: '.status.addresses[*].value' },
      { name: 'Programmed', type: 'string', jsonPath: condition('Programmed') },
      age,
    ],
  },
  { ...route('HTTPRoute', [hostnames]), versions: ['v1', 'v1beta1'] },
  route('GRPCRoute', [hostnames]),
  {
    group: gatewayApi,
    versions: ['v1', 'v1beta1'],
    kind: 'ReferenceGrant',
    plural: 'referencegrants',
    singular: 'referencegrant',
    namespaced: true,
    shortNames: ['refgrant'],
    categories: gatewayCategories,
    hasStatus: false,
    printerColumns: [age],
  },
  {
    ...route('BackendTLSPolicy'),
    plural: 'backendtlspolicies',
    shortNames: ['btlspolicy'],
  },
  {
    ...route('ListenerSet', [
      { name: 'Accepted', type: 'string', jsonPath: condition('Accepted') },
      { name: 'Programmed', type: 'string', jsonPath: condition('Programmed') },
    ]),
    shortNames: ['lset'],
  },
  route('TLSRoute'),
  route('TCPRoute'),
  route('UDPRoute'),
];

/** `group/version`, or `v1` for the core group. */
export function apiVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

/** A stable identity for a kind, used as a map key. */
export function kindKey(info: KindInfo): string {
  return `${info.group}/${info.plural}`;
}

/** The kind served at `group/version` under `plural`, if any. */
export function findKind(group: string, version: string, plural: string): KindInfo | undefined {
  return KINDS.find(
    (k) => k.group === group && k.plural === plural && k.versions.includes(version),
  );
}

/** Looks a kind up by its Kind name or plural, case-insensitively (used by fault injection). */
export function findKindByName(name: string): KindInfo | undefined {
  const n = name.toLowerCase();
  return KINDS.find((k) => k.kind.toLowerCase() === n || k.plural === n || k.singular === n);
}

/** The groups served, each with its versions, preferred version first. */
export function servedGroups(): { name: string; versions: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const k of KINDS) {
    if (k.group === '') continue;
    const versions = groups.get(k.group) ?? [];
    for (const v of k.versions) if (!versions.includes(v)) versions.push(v);
    groups.set(k.group, versions);
  }
  return [...groups].map(([name, versions]) => ({ name, versions: sortVersions(versions) }));
}

/** Kubernetes version priority: GA before beta before alpha, higher numbers first. */
export function sortVersions(versions: readonly string[]): string[] {
  const rank = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [3, 0, 0];
    const stage = m[2] === undefined ? 0 : m[2] === 'beta' ? 1 : 2;
    return [stage, -Number(m[1]), -Number(m[3] ?? 0)];
  };
  return [...versions].sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2] || a.localeCompare(b);
  });
}

/** An object as served at a requested version: stored once, only `apiVersion` differs. */
export function presentAs<T extends Record<string, unknown>>(
  info: KindInfo,
  object: T,
  version: string,
): T {
  return { ...object, apiVersion: apiVersionOf(info.group, version), kind: info.kind };
}
