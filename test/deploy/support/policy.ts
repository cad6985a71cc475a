/**
 * The security and operability policies every rendered install must meet. Each check is a pure
 * function from the rendered objects to a list of violations (empty when the policy holds), so
 * a failing test names every offender at once.
 */
import { PORTICO_NAMESPACE, selects, type KubeDoc, type LabelSelector } from './manifests.ts';
import {
  allContainers,
  podTemplates,
  resolvePort,
  selectedPods,
  type Container,
  type PodTemplate,
} from './pods.ts';

interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PriorityClass',
]);

function rulesOf(doc: KubeDoc): PolicyRule[] {
  return doc.kind === 'Role' || doc.kind === 'ClusterRole'
    ? ((doc.rules as PolicyRule[] | undefined) ?? [])
    : [];
}

/** No `*` anywhere in an RBAC rule: every grant is spelled out. */
export function rbacWildcards(docs: readonly KubeDoc[]): string[] {
  return docs.flatMap((doc) =>
    rulesOf(doc).flatMap((rule, i) =>
      Object.entries(rule)
        .filter(([, values]) => Array.isArray(values) && (values as string[]).includes('*'))
        .map(([field]) => `${doc.kind}/${doc.metadata.name} rule ${i}: "*" in ${field}`),
    ),
  );
}

/** Probes, requests and limits, and a locked-down security context on every container. */
export function containerHardening(docs: readonly KubeDoc[]): string[] {
  return podTemplates(docs).flatMap((template) =>
    allContainers(template.spec).flatMap((container) =>
      containerProblems(template, container).map(
        (problem) => `${template.id} container ${container.name}: ${problem}`,
      ),
    ),
  );
}

function containerProblems(template: PodTemplate, c: Container): string[] {
  const pod = template.spec;
  const sc = c.securityContext ?? {};
  const podSc = pod.securityContext ?? {};
  const problems: string[] = [];
  if (!c.readinessProbe) problems.push('no readinessProbe');
  if (!c.livenessProbe) problems.push('no livenessProbe');
  for (const kind of ['requests', 'limits'] as const) {
    for (const resource of ['cpu', 'memory']) {
      if (c.resources?.[kind]?.[resource] === undefined)
        problems.push(`no ${resource} in resources.${kind}`);
    }
  }
  if ((sc.runAsNonRoot ?? podSc.runAsNonRoot) !== true) problems.push('runAsNonRoot is not true');
  if ((sc.runAsUser ?? podSc.runAsUser) === 0) problems.push('runs as uid 0');
  if (sc.readOnlyRootFilesystem !== true) problems.push('root filesystem is writable');
  if (sc.allowPrivilegeEscalation !== false) problems.push('allowPrivilegeEscalation not false');
  if (sc.privileged === true) problems.push('privileged');
  if (!(sc.capabilities?.drop ?? []).includes('ALL')) problems.push('capabilities not dropped');
  if ((sc.capabilities?.add ?? []).length > 0) problems.push('adds capabilities');
  const seccomp = sc.seccompProfile?.type ?? podSc.seccompProfile?.type;
  if (seccomp !== 'RuntimeDefault') problems.push(`seccomp profile is ${seccomp ?? 'unset'}`);
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) problems.push('shares a host namespace');
  if (pod.volumes?.some((v) => v.hostPath)) problems.push('mounts a hostPath');
  return problems;
}

/** Every namespaced object is in Portico's namespace; cluster-scoped ones carry none. */
export function namespacePlacement(docs: readonly KubeDoc[]): string[] {
  return docs.flatMap((doc) => {
    const ns = doc.metadata.namespace;
    if (CLUSTER_SCOPED.has(doc.kind))
      return ns === undefined ? [] : [`${doc.kind}/${doc.metadata.name} has namespace ${ns}`];
    return ns === PORTICO_NAMESPACE
      ? []
      : [`${doc.kind}/${doc.metadata.name} is in namespace ${ns ?? '(none)'}`];
  });
}

/** Verbs that reveal a Secret's data. */
const READ_VERBS = ['get', 'list', 'watch'];

/**
 * Which ServiceAccounts may read Secrets, with which verbs and over what scope
 * (`cluster` or a namespace), e.g. `portico-watcher: list,watch (cluster)`.
 */
export function secretReaders(docs: readonly KubeDoc[]): string[] {
  const grants = new Set<string>();
  for (const binding of docs.filter((d) => d.kind.endsWith('RoleBinding'))) {
    const ref = binding.roleRef as { kind: string; name: string };
    const role = docs.find((d) => d.kind === ref.kind && d.metadata.name === ref.name);
    const verbs = rulesOf(role ?? binding)
      .filter((r) => r.apiGroups?.includes('') && r.resources?.includes('secrets'))
      .flatMap((r) => (r.verbs ?? []).filter((v) => READ_VERBS.includes(v)));
    if (verbs.length === 0) continue;
    const scope = binding.kind === 'ClusterRoleBinding' ? 'cluster' : binding.metadata.namespace;
    const subjects = (binding.subjects as Array<{ kind: string; name: string }> | undefined) ?? [];
    for (const s of subjects)
      grants.add(`${s.name}: ${[...new Set(verbs)].sort().join(',')} (${scope ?? '?'})`);
  }
  return [...grants].sort();
}

/**
 * References that the rendered install does not satisfy itself: ServiceAccounts, ConfigMaps and
 * Secrets used by pods, Roles bound, Deployments scaled, named probe ports. Objects the operator
 * must create (the production Redis Secret) show up here too, as `Secret/<name>`.
 */
export function missingReferences(docs: readonly KubeDoc[]): string[] {
  const has = (kind: string, name: string) =>
    docs.some((d) => d.kind === kind && d.metadata.name === name);
  const missing = new Set<string>();
  const need = (kind: string, name: string | undefined) => {
    if (name !== undefined && !has(kind, name)) missing.add(`${kind}/${name}`);
  };
  for (const template of podTemplates(docs)) {
    need('ServiceAccount', template.spec.serviceAccountName);
    for (const c of allContainers(template.spec)) {
      for (const source of c.envFrom ?? []) {
        need('ConfigMap', source.configMapRef?.name);
        need('Secret', source.secretRef?.name);
      }
      for (const probe of [c.readinessProbe, c.livenessProbe]) {
        const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port;
        if (port !== undefined && resolvePort(c, port) === undefined)
          missing.add(`port ${String(port)} of ${template.id}`);
      }
    }
  }
  for (const binding of docs.filter((d) => d.kind.endsWith('RoleBinding'))) {
    const ref = binding.roleRef as { kind: string; name: string };
    need(ref.kind, ref.name);
    const subjects = (binding.subjects as Array<Record<string, string>> | undefined) ?? [];
    for (const subject of subjects.filter((s) => s.kind === 'ServiceAccount')) {
      need('ServiceAccount', subject.name);
      if (subject.namespace !== PORTICO_NAMESPACE)
        missing.add(`ServiceAccount ${subject.namespace}/${subject.name}`);
    }
  }
  for (const doc of docs.filter((d) => /Autoscaler|ScaledObject/.test(d.kind))) {
    const target = (doc.spec as { scaleTargetRef: { kind?: string; name: string } }).scaleTargetRef;
    need(target.kind ?? 'Deployment', target.name);
  }
  return [...missing].sort();
}

/** Services, PodDisruptionBudgets and NetworkPolicies each select at least one pod template. */
export function emptySelectors(docs: readonly KubeDoc[]): string[] {
  const templates = podTemplates(docs);
  return docs.flatMap((doc) => {
    const selector = selectorOf(doc);
    if (!selector || Object.keys(selector).length === 0) return [];
    return selectedPods(templates, selector).length > 0
      ? []
      : [`${doc.kind}/${doc.metadata.name} selects no pods`];
  });
}

function selectorOf(doc: KubeDoc): LabelSelector | undefined {
  const spec = doc.spec as Record<string, unknown> | undefined;
  switch (doc.kind) {
    case 'Service':
      return spec?.selector ? { matchLabels: spec.selector as Record<string, string> } : undefined;
    case 'PodDisruptionBudget':
      return spec?.selector as LabelSelector;
    case 'NetworkPolicy':
      return spec?.podSelector as LabelSelector;
    default:
      return undefined;
  }
}

/**
 * A workload that runs more than one pod (by replicas or an autoscaler) has a
 * PodDisruptionBudget, so a node drain never takes all of them at once.
 */
export function disruptionBudgetGaps(docs: readonly KubeDoc[]): string[] {
  const scaled = new Set(
    docs
      .filter((d) => /Autoscaler|ScaledObject/.test(d.kind))
      .map((d) => (d.spec as { scaleTargetRef: { name: string } }).scaleTargetRef.name),
  );
  const budgets = docs.filter((d) => d.kind === 'PodDisruptionBudget');
  return podTemplates(docs)
    .filter((t) => (t.replicas ?? 1) > 1 || scaled.has(t.owner.metadata.name))
    .filter(
      (t) =>
        !budgets.some((b) => selects((b.spec as { selector: LabelSelector }).selector, t.labels)),
    )
    .map((t) => `${t.id} runs several pods without a PodDisruptionBudget`);
}

interface NetworkPolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: unknown;
}

/**
 * A peer that can only be one of Portico's own pods: in the policy's namespace, or a data plane
 * Portico provisioned (labelled managed-by portico, component dataplane) in any namespace.
 */
function isPorticoPeer(peer: NetworkPolicyPeer): boolean {
  if (peer.ipBlock || !peer.podSelector) return false;
  if (peer.namespaceSelector) {
    const labels = peer.podSelector.matchLabels ?? {};
    return (
      labels['app.kubernetes.io/name'] === 'portico' &&
      labels['app.kubernetes.io/component'] === 'dataplane' &&
      labels['app.kubernetes.io/managed-by'] === 'portico'
    );
  }
  const { matchLabels = {}, matchExpressions = [] } = peer.podSelector;
  return (
    matchLabels['app.kubernetes.io/name'] === 'portico' ||
    matchExpressions.some(
      (e) =>
        e.key === 'app.kubernetes.io/name' &&
        e.operator === 'In' &&
        e.values?.length === 1 &&
        e.values[0] === 'portico',
    )
  );
}

/**
 * Redis (any pod running a `redis` image) is isolated for ingress, and every policy that
 * selects it admits only Portico's pods. NetworkPolicies add up, so one open rule anywhere
 * would be enough to expose it.
 */
export function redisExposure(docs: readonly KubeDoc[]): string[] {
  const policies = docs.filter((d) => d.kind === 'NetworkPolicy');
  return podTemplates(docs)
    .filter((t) => t.spec.containers.some((c) => /^(.*\/)?redis[:@]/.test(c.image)))
    .flatMap((t) => {
      const applying = policies.filter((p) => {
        const spec = p.spec as { podSelector: LabelSelector; policyTypes?: string[] };
        return selects(spec.podSelector, t.labels) && (spec.policyTypes ?? []).includes('Ingress');
      });
      if (applying.length === 0) return [`${t.id}: no NetworkPolicy isolates it`];
      return applying.flatMap((p) => {
        const rules = ((p.spec as { ingress?: Array<{ from?: NetworkPolicyPeer[] }> }).ingress ??
          []) as Array<{ from?: NetworkPolicyPeer[] }>;
        return rules
          .filter((rule) => !rule.from || rule.from.length === 0 || !rule.from.every(isPorticoPeer))
          .map(() => `${t.id}: NetworkPolicy/${p.metadata.name} admits more than Portico's pods`);
      });
    });
}

const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

/**
 * What a ServiceAccount may change, as `verb resource` pairs (`update gateways/status`), from
 * every Role and ClusterRole bound to it.
 */
export function writeGrants(docs: readonly KubeDoc[], serviceAccount: string): string[] {
  const grants = new Set<string>();
  for (const binding of docs.filter((d) => d.kind.endsWith('RoleBinding'))) {
    const subjects = (binding.subjects as Array<{ kind: string; name: string }> | undefined) ?? [];
    if (!subjects.some((s) => s.kind === 'ServiceAccount' && s.name === serviceAccount)) continue;
    const ref = binding.roleRef as { kind: string; name: string };
    const role = docs.find((d) => d.kind === ref.kind && d.metadata.name === ref.name);
    for (const rule of role ? rulesOf(role) : []) {
      for (const verb of (rule.verbs ?? []).filter((v) => WRITE_VERBS.has(v)))
        for (const resource of rule.resources ?? []) grants.add(`${verb} ${resource}`);
    }
  }
  return [...grants].sort();
}

/** The `list` and `watch` grants of a ServiceAccount, as `group/resource` (core: `/secrets`). */
export function watchGrants(docs: readonly KubeDoc[], serviceAccount: string): string[] {
  const grants = new Set<string>();
  for (const binding of docs.filter((d) => d.kind === 'ClusterRoleBinding')) {
    const subjects = (binding.subjects as Array<{ kind: string; name: string }> | undefined) ?? [];
    if (!subjects.some((s) => s.kind === 'ServiceAccount' && s.name === serviceAccount)) continue;
    const ref = binding.roleRef as { kind: string; name: string };
    const role = docs.find((d) => d.kind === ref.kind && d.metadata.name === ref.name);
    for (const rule of role ? rulesOf(role) : []) {
      if (!(rule.verbs ?? []).includes('list') || !(rule.verbs ?? []).includes('watch')) continue;
      for (const group of rule.apiGroups ?? [])
        for (const resource of rule.resources ?? []) grants.add(`${group}/${resource}`);
    }
  }
  return [...grants].sort();
}

/** Every container image is an exact version tag or a digest, never `latest` or a moving tag. */
export function unpinnedImages(docs: readonly KubeDoc[]): string[] {
  const pinned =
    /^[^@\s]+:(?:v?\d+\.\d+\.\d+[\w.-]*)(?:@sha256:[0-9a-f]{64})?$|@sha256:[0-9a-f]{64}$/;
  return podTemplates(docs).flatMap((t) =>
    allContainers(t.spec)
      .filter((c) => !pinned.test(c.image))
      .map((c) => `${t.id} container ${c.name}: image ${c.image} is not pinned`),
  );
}

/** The rules of every ClusterRole bound cluster-wide to a ServiceAccount. */
function clusterRulesOf(docs: readonly KubeDoc[], serviceAccount: string): PolicyRule[] {
  return docs
    .filter((d) => d.kind === 'ClusterRoleBinding')
    .filter((binding) =>
      ((binding.subjects as Array<{ kind: string; name: string }> | undefined) ?? []).some(
        (s) => s.kind === 'ServiceAccount' && s.name === serviceAccount,
      ),
    )
    .flatMap((binding) => {
      const ref = binding.roleRef as { kind: string; name: string };
      const role = docs.find((d) => d.kind === ref.kind && d.metadata.name === ref.name);
      return role ? rulesOf(role) : [];
    });
}

/**
 * What the API server's RBAC escalation check would refuse: a Role may be created (and bound)
 * only by a subject that holds every permission it grants. Each permission of `roles` that no
 * cluster-wide rule of `serviceAccount` covers, as `verb group/resource/name`.
 */
export function escalations(
  docs: readonly KubeDoc[],
  serviceAccount: string,
  roles: readonly KubeDoc[],
): string[] {
  const held = clusterRulesOf(docs, serviceAccount);
  const covers = (rule: PolicyRule, group: string, resource: string, verb: string, name?: string) =>
    (rule.apiGroups ?? []).includes(group) &&
    (rule.resources ?? []).includes(resource) &&
    (rule.verbs ?? []).includes(verb) &&
    (rule.resourceNames === undefined || (name !== undefined && rule.resourceNames.includes(name)));
  const missing: string[] = [];
  for (const role of roles)
    for (const rule of rulesOf(role))
      for (const group of rule.apiGroups ?? [])
        for (const resource of rule.resources ?? [])
          for (const verb of rule.verbs ?? [])
            for (const name of rule.resourceNames ?? [undefined])
              if (!held.some((h) => covers(h, group, resource, verb, name)))
                missing.push(`${verb} ${group}/${resource}/${name ?? '*'}`);
  return missing;
}
