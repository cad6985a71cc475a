/**
 * BackendTLSPolicy (Gateway API v1): TLS from the data plane to Service ports.
 *
 * 1. `processBackendTLSPolicies` validates each policy on its own (CA references, hostname,
 *    subject alternative names, well-known CAs) and resolves conflicts: policies are taken
 *    oldest first, then by namespace/name (the spec's precedence); a policy one of whose
 *    targets (Service, sectionName) an earlier one already holds is `Conflicted` and applies
 *    nowhere. A policy for a whole Service and one for one of its ports do not conflict: the
 *    port's own policy is the more specific and wins on that port.
 * 2. `attachBackendTls` runs after backend resolution: every upstream whose Service port a
 *    policy wins gets its TLS settings; shares of a port whose winning policy is invalid
 *    answer 500 ("connections using an invalid CACertificateRef MUST fail"). Ancestors are the
 *    Gateways whose routes name the targeted Service.
 *
 * `subjectAltNames` are checked in backendtls-san.ts and carried to the IR; the renderer
 * verifies them (NGINX when the list is the hostname alone, its backend TLS bridge otherwise).
 *
 * CAs come from `ca.crt` of ConfigMaps or Secrets (`caCertificateRefs`), or from the data
 * plane's system bundle (`wellKnownCACertificates: System`); exactly one of the two.
 */
import {
  policyAccepted,
  policyConflicted,
  policyInvalid,
  policyInvalidCACertificateRef,
  policyInvalidKind,
  policyNoValidCACertificate,
  policyResolvedRefs,
  policyTargetNotFound,
  PolicyReason,
  routeUnsupportedProtocol,
  type DesiredCondition,
} from '@portico/conditions';
import { HTTPS_APP_PROTOCOLS } from './backends.ts';
import type {
  BackendTLSPolicy,
  BackendTlsNode,
  BackendTlsPolicyNode,
  CaCertificateRefNode,
  ConfigMapSummary,
} from './backendtls-types.ts';
import { subjectAltNamesIR, subjectAltNamesProblem } from './backendtls-san.ts';
import { compareStrings, namespaceOf, nsName } from './keys.ts';
import type { SnapshotLookup } from './lookup.ts';
import type { References, RouteNode, UpstreamNode } from './types.ts';
import type { Validators } from './validation.ts';

/** What the policy step reads besides the policies. */
export interface BackendTlsInputs {
  /** ConfigMaps and Secrets (CA references) are read through the lookup's maps. */
  lookup: SnapshotLookup;
  /** Every ConfigMap summary; the lookup indexes the same list. */
  configMaps: readonly ConfigMapSummary[];
  validators: Validators;
}

/** `<svc ns>/<svc name>#<sectionName or ''>`: one target of a policy. */
function targetKey(namespace: string, name: string, section: string | undefined): string {
  return `${namespace}/${name}#${section ?? ''}`;
}

function isServiceTarget(ref: { group: string; kind: string }): boolean {
  return (ref.group === '' || ref.group === 'core') && ref.kind === 'Service';
}

/** Oldest first, then `namespace/name`: the spec's precedence between policies. */
function comparePolicies(a: BackendTLSPolicy, b: BackendTLSPolicy): number {
  const at = a.metadata.creationTimestamp ?? '';
  const bt = b.metadata.creationTimestamp ?? '';
  return compareStrings(at, bt) || compareStrings(nsName(a.metadata), nsName(b.metadata));
}

/** Validates and de-conflicts every policy; the result is keyed and sorted by `<ns>/<name>`. */
export function processBackendTLSPolicies(
  policies: readonly BackendTLSPolicy[],
  inputs: BackendTlsInputs,
): Map<string, BackendTlsPolicyNode> {
  const held = new Map<string, string>();
  const nodes = new Map<string, BackendTlsPolicyNode>();
  for (const policy of [...policies].sort(comparePolicies)) {
    const key = nsName(policy.metadata);
    const targets = serviceTargets(policy);
    const holder = targets.map((t) => held.get(t)).find((h) => h !== undefined);
    if (holder === undefined) for (const t of targets) held.set(t, key);
    nodes.set(key, policyNode(policy, key, holder, inputs));
  }
  return new Map([...nodes.entries()].sort(([a], [b]) => compareStrings(a, b)));
}

function serviceTargets(policy: BackendTLSPolicy): string[] {
  const namespace = namespaceOf(policy.metadata);
  return policy.spec.targetRefs
    .filter(isServiceTarget)
    .map((ref) => targetKey(namespace, ref.name, ref.sectionName));
}

function policyNode(
  policy: BackendTLSPolicy,
  key: string,
  holder: string | undefined,
  inputs: BackendTlsInputs,
): BackendTlsPolicyNode {
  const refs = resolveCaRefs(policy, inputs.lookup);
  const accepted =
    holder !== undefined
      ? policyConflicted(
          `BackendTLSPolicy ${holder} targets the same Service port and takes precedence`,
        )
      : acceptance(policy, refs, inputs);
  const usable = accepted.status === 'True' && refs.problems.length === 0;
  return {
    key,
    source: policy,
    conditions: [accepted, refs.resolvedRefs],
    tls: usable
      ? {
          policy: key,
          hostname: policy.spec.validation.hostname,
          caCertificates: refs.usable,
          ...sanField(policy.spec.validation.subjectAltNames),
          ...(trustsSystem(policy.spec.validation) ? { wellKnownCACertificates: 'System' } : {}),
        }
      : undefined,
    ancestors: [],
  };
}

/** The node's `subjectAltNames`, present only when the policy lists some. */
function sanField(
  sans: BackendTLSPolicy['spec']['validation']['subjectAltNames'],
): Pick<BackendTlsNode, 'subjectAltNames'> {
  const list = subjectAltNamesIR(sans);
  return list === undefined ? {} : { subjectAltNames: list };
}

/** `Accepted` of a policy that holds its targets: the first problem in the spec's terms. */
function acceptance(
  policy: BackendTLSPolicy,
  refs: ResolvedCaRefs,
  { lookup, validators }: BackendTlsInputs,
): DesiredCondition {
  const namespace = namespaceOf(policy.metadata);
  const { validation, targetRefs } = policy.spec;
  const other = targetRefs.find((ref) => !isServiceTarget(ref));
  if (other !== undefined) {
    return policyInvalid(
      `targetRefs: ${other.group || 'core'}/${other.kind} is not supported: target a Service`,
    );
  }
  const missing = targetRefs.find((ref) => !targetExists(lookup, namespace, ref));
  if (missing !== undefined) {
    const section = missing.sectionName === undefined ? '' : ` port ${missing.sectionName}`;
    return policyTargetNotFound(`Service ${namespace}/${missing.name}${section} not found`);
  }
  const hostnameProblem = validators.hostname(validation.hostname);
  if (hostnameProblem !== undefined || validation.hostname.includes('*')) {
    return policyInvalid(`validation.hostname: ${hostnameProblem ?? 'must be a precise hostname'}`);
  }
  const caSourceProblem = caSourceChoice(validation);
  if (caSourceProblem !== undefined) return policyInvalid(caSourceProblem);
  const sanProblem = subjectAltNamesProblem(validation.subjectAltNames, validators);
  if (sanProblem !== undefined) return policyInvalid(sanProblem);
  if (refs.usable.length === 0 && !trustsSystem(validation)) {
    return policyNoValidCACertificate(
      `no valid CA certificate reference: ${refs.resolvedRefs.message}`,
    );
  }
  return policyAccepted();
}

function targetExists(
  lookup: SnapshotLookup,
  namespace: string,
  ref: { name: string; sectionName?: string },
): boolean {
  const service = lookup.services.get(`${namespace}/${ref.name}`);
  if (service === undefined) return false;
  return (
    ref.sectionName === undefined ||
    (service.spec.ports ?? []).some((p) => p.name === ref.sectionName)
  );
}

interface ResolvedCaRefs {
  usable: CaCertificateRefNode[];
  problems: DesiredCondition[];
  resolvedRefs: DesiredCondition;
}

/** The one well-known CA set Portico knows: the data plane's system bundle. */
const SYSTEM_CAS = 'System';

type Validation = BackendTLSPolicy['spec']['validation'];

/** True when the policy trusts the data plane's system CAs instead of referenced ones. */
function trustsSystem(validation: Validation): boolean {
  return validation.wellKnownCACertificates === SYSTEM_CAS;
}

/**
 * Exactly one CA source, and a known one: the CRD's CEL rules forbid both or neither (checked
 * here too, for API servers that skip them), and only `System` is a well-known set we trust.
 */
function caSourceChoice(validation: Validation): string | undefined {
  const wellKnown = validation.wellKnownCACertificates ?? '';
  const refs = (validation.caCertificateRefs ?? []).length;
  if (wellKnown !== '' && refs > 0) {
    return 'validation: caCertificateRefs and wellKnownCACertificates must not both be set';
  }
  if (wellKnown !== '' && wellKnown !== SYSTEM_CAS) {
    return `validation.wellKnownCACertificates ${wellKnown} is not supported: use System or caCertificateRefs`;
  }
  if (wellKnown === '' && refs === 0) {
    return 'validation: set caCertificateRefs or wellKnownCACertificates';
  }
  return undefined;
}

/** The kinds a CA reference may name: core ConfigMaps and Secrets, both with `ca.crt`. */
function caKind(ref: { group: string; kind: string }): 'ConfigMap' | 'Secret' | undefined {
  if (ref.group !== '' && ref.group !== 'core') return undefined;
  return ref.kind === 'ConfigMap' || ref.kind === 'Secret' ? ref.kind : undefined;
}

/** Why the summary of a CA object cannot serve, in words naming it; undefined when it can. */
function caProblem(
  summary: { hasCaCertificate?: boolean; caCertificateError?: string } | undefined,
): string | undefined {
  if (summary === undefined) return 'not found';
  if (summary.hasCaCertificate !== true) return 'has no ca.crt';
  return summary.caCertificateError;
}

/**
 * CA references: core ConfigMaps or Secrets with a PEM `ca.crt`, in the policy's namespace
 * (the type has no namespace field). Other kinds are `InvalidKind`; missing or unusable ones
 * `InvalidCACertificateRef`. `InvalidKind` is reported first when both occur. Secrets are
 * read as the watcher summarised them: whether `ca.crt` parses, never its data (invariant 6).
 */
function resolveCaRefs(policy: BackendTLSPolicy, lookup: SnapshotLookup): ResolvedCaRefs {
  const namespace = namespaceOf(policy.metadata);
  const usable: CaCertificateRefNode[] = [];
  const problems: DesiredCondition[] = [];
  (policy.spec.validation.caCertificateRefs ?? []).forEach((ref, i) => {
    const at = `validation.caCertificateRefs[${i}]`;
    const kind = caKind(ref);
    if (kind === undefined) {
      problems.push(
        policyInvalidKind(
          `${at}: ${ref.group || 'core'}/${ref.kind} is not supported: reference a ConfigMap or a Secret`,
        ),
      );
      return;
    }
    const key = `${namespace}/${ref.name}`;
    const summary = kind === 'ConfigMap' ? lookup.configMaps.get(key) : lookup.secrets.get(key);
    const problem = caProblem(summary);
    if (problem !== undefined || summary === undefined) {
      problems.push(policyInvalidCACertificateRef(`${at}: ${kind} ${key} ${problem ?? ''}`.trim()));
      return;
    }
    usable.push({ kind, namespace, name: ref.name, contentHash: summary.contentHash });
  });
  const first = problems.find((p) => p.reason === PolicyReason.InvalidKind) ?? problems[0];
  const resolvedRefs =
    first === undefined
      ? policyResolvedRefs()
      : { ...first, message: problems.map((p) => p.message).join('; ') };
  return { usable, problems, resolvedRefs };
}

/**
 * Shares of ports held by an invalid policy answer 500; so do those of `https` ports without
 * a usable policy, and the route says why (`UnsupportedProtocol`, unless it already has a
 * reason of its own).
 */
function failBackends(route: RouteNode, failed: Set<string>, needTls: Set<string>): void {
  for (const rule of route.rules) {
    for (const backend of rule.backends) {
      const key = backend.upstreamKey;
      if (key === null || (!failed.has(key) && !needTls.has(key))) continue;
      backend.upstreamKey = null;
      if (needTls.has(key) && route.resolvedRefs.status === 'True') {
        route.resolvedRefs = routeUnsupportedProtocol(
          `Service port ${key} has appProtocol https and no usable BackendTLSPolicy`,
        );
      }
    }
  }
}

/**
 * Gives each upstream the TLS settings of the policy that wins its Service port, turns the
 * shares of ports held by an invalid policy into 500s, and records each policy's ancestors.
 */
export function attachBackendTls(
  policies: ReadonlyMap<string, BackendTlsPolicyNode>,
  routes: ReadonlyMap<string, RouteNode>,
  upstreams: ReadonlyMap<string, UpstreamNode>,
  lookup: SnapshotLookup,
  references: References,
): void {
  const winners = new Map<string, BackendTlsPolicyNode>();
  for (const node of policies.values()) {
    if (node.conditions[0]?.reason === PolicyReason.Conflicted) continue;
    for (const t of serviceTargets(node.source)) winners.set(t, node);
  }
  const failed = new Set<string>();
  const needTls = new Set<string>();
  for (const [key, upstream] of upstreams) {
    const { namespace, name, port } = upstream.service;
    const servicePort = lookup.services
      .get(`${namespace}/${name}`)
      ?.spec.ports?.find((p) => p.port === port);
    const portName = servicePort?.name;
    const node =
      (portName === undefined ? undefined : winners.get(targetKey(namespace, name, portName))) ??
      winners.get(targetKey(namespace, name, undefined));
    if (node?.tls !== undefined) upstream.tls = node.tls;
    else if (HTTPS_APP_PROTOCOLS.has(servicePort?.appProtocol ?? '')) needTls.add(key);
    else if (node !== undefined) failed.add(key);
  }
  for (const route of routes.values()) failBackends(route, failed, needTls);
  for (const node of policies.values()) {
    const namespace = namespaceOf(node.source.metadata);
    const gateways = new Set<string>();
    for (const ref of node.source.spec.targetRefs.filter(isServiceTarget))
      for (const g of references.services.get(`${namespace}/${ref.name}`) ?? []) gateways.add(g);
    node.ancestors = [...gateways].sort(compareStrings);
  }
}
