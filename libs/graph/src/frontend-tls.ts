/**
 * Client certificate validation on HTTPS listeners (Gateway `spec.tls.frontend`): which CA
 * bundle and mode apply to a listener's port (`perPort` overrides `default`), and whether its
 * CA references resolve. The spec's rules for `caCertificateRefs`:
 *
 * - a kind other than a core ConfigMap is `ResolvedRefs: False, InvalidCACertificateKind`;
 * - a ConfigMap in another namespace needs a ReferenceGrant from the Gateway, else
 *   `RefNotPermitted`;
 * - a missing ConfigMap, or one without a PEM `ca.crt`, is `InvalidCACertificateRef`;
 * - when no reference is usable the listener is `Accepted: False, NoValidCACertificate` and not
 *   served (a listener that cannot verify clients must not let them in unverified).
 *
 * Only ConfigMap summaries are read: the renderer fetches the bundle itself.
 */
import {
  gatewayInsecureFrontendValidationMode,
  listenerInvalidCACertificateKind,
  listenerInvalidCACertificateRef,
  listenerNoValidCACertificate,
  listenerRefNotPermitted,
  Reason,
  FrontendReason,
  type DesiredCondition,
} from '@portico/conditions';
import type { CaCertificateRefNode } from './backendtls-types.ts';
import { GATEWAY_GROUP } from './keys.ts';
import type { SnapshotLookup } from './lookup.ts';
import { referenceAllowed } from './referencegrant.ts';
import type { Listener } from './resources.ts';

export type FrontendValidationMode = 'AllowValidOnly' | 'AllowInsecureFallback';

/** `validation` of `tls.frontend.default` or of a `perPort` entry. */
export interface FrontendValidationSpec {
  caCertificateRefs?: { group?: string; kind?: string; name: string; namespace?: string }[];
  mode?: string;
}

/** Gateway `spec.tls.frontend`. */
export interface FrontendTlsSpec {
  default?: { validation?: FrontendValidationSpec };
  perPort?: { port: number; tls?: { validation?: FrontendValidationSpec } }[];
}

/** How NGINX checks client certificates on a listener's port. */
export interface ClientValidationNode {
  mode: FrontendValidationMode;
  /** Usable CA references in `caCertificateRefs` order; never empty. */
  caCertificates: CaCertificateRefNode[];
}

/** What the listener step learns about client validation. */
export interface FrontendResult {
  /** `ResolvedRefs: False` when some reference is invalid. */
  resolvedRefs?: DesiredCondition;
  /** `Accepted: False, NoValidCACertificate` when none is usable. */
  accepted?: DesiredCondition;
  validation?: ClientValidationNode;
}

/** The validation of `port` and where it is written: `perPort` first, then `default`. */
export function validationForPort(
  spec: FrontendTlsSpec | undefined,
  port: number,
): { validation: FrontendValidationSpec; at: string } | undefined {
  const index = (spec?.perPort ?? []).findIndex((p) => p.port === port);
  if (index >= 0) {
    const validation = spec?.perPort?.[index]?.tls?.validation;
    return validation && { validation, at: `tls.frontend.perPort[${index}].tls.validation` };
  }
  const validation = spec?.default?.validation;
  return validation && { validation, at: 'tls.frontend.default.validation' };
}

/** Client validation of an HTTPS listener, or undefined when its port has none. */
export function resolveFrontendValidation(
  listener: Listener,
  spec: FrontendTlsSpec | undefined,
  gatewayNamespace: string,
  lookup: SnapshotLookup,
): FrontendResult | undefined {
  if (listener.protocol !== 'HTTPS') return undefined;
  const found = validationForPort(spec, listener.port);
  if (found === undefined) return undefined;
  const { validation, at } = found;
  const problems: DesiredCondition[] = [];
  const usable: CaCertificateRefNode[] = [];
  (validation.caCertificateRefs ?? []).forEach((ref, i) => {
    const result = resolveCaRef(ref, `${at}.caCertificateRefs[${i}]`, gatewayNamespace, lookup);
    if ('reason' in result) problems.push(result);
    else usable.push(result);
  });
  const mode: FrontendValidationMode =
    validation.mode === 'AllowInsecureFallback' ? 'AllowInsecureFallback' : 'AllowValidOnly';
  const resolvedRefs = summarize(problems);
  if (usable.length === 0) {
    const why = resolvedRefs?.message ?? `${at}.caCertificateRefs is empty`;
    return {
      resolvedRefs: resolvedRefs ?? listenerInvalidCACertificateRef(why),
      accepted: listenerNoValidCACertificate(`no valid CA certificate: ${why}`),
    };
  }
  return {
    ...(resolvedRefs === undefined ? {} : { resolvedRefs }),
    validation: { mode, caCertificates: usable },
  };
}

function resolveCaRef(
  ref: { group?: string; kind?: string; name: string; namespace?: string },
  at: string,
  gatewayNamespace: string,
  lookup: SnapshotLookup,
): CaCertificateRefNode | DesiredCondition {
  const group = ref.group ?? '';
  const kind = ref.kind ?? '';
  if ((group !== '' && group !== 'core') || kind !== 'ConfigMap') {
    return listenerInvalidCACertificateKind(
      `${at}: ${group || 'core'}/${kind} is not supported: reference a ConfigMap`,
    );
  }
  const namespace = ref.namespace ?? gatewayNamespace;
  const key = `${namespace}/${ref.name}`;
  if (
    namespace !== gatewayNamespace &&
    !referenceAllowed(
      lookup.referenceGrants.get(namespace),
      { group: GATEWAY_GROUP, kind: 'Gateway', namespace: gatewayNamespace },
      { group: '', kind: 'ConfigMap', name: ref.name },
    )
  ) {
    return listenerRefNotPermitted(
      `${at}: ConfigMap ${key} is in another namespace and no ReferenceGrant allows it`,
    );
  }
  const map = lookup.configMaps.get(key);
  const problem =
    map === undefined
      ? 'not found'
      : !map.hasCaCertificate
        ? 'has no ca.crt'
        : map.caCertificateError;
  if (map === undefined || problem !== undefined) {
    return listenerInvalidCACertificateRef(`${at}: ConfigMap ${key} ${problem ?? ''}`.trim());
  }
  return { kind: 'ConfigMap', namespace, name: ref.name, contentHash: map.contentHash };
}

/** One `ResolvedRefs: False`: RefNotPermitted, then the kind, then the reference itself. */
function summarize(problems: readonly DesiredCondition[]): DesiredCondition | undefined {
  const order: string[] = [
    Reason.RefNotPermitted,
    FrontendReason.InvalidCACertificateKind,
    FrontendReason.InvalidCACertificateRef,
  ];
  const first = [...problems].sort((a, b) => order.indexOf(a.reason) - order.indexOf(b.reason))[0];
  return first && { ...first, message: problems.map((p) => p.message).join('; ') };
}

/** Gateway conditions of `tls.frontend`: the insecure fallback warning when some port uses it. */
export function frontendGatewayConditions(spec: FrontendTlsSpec | undefined): DesiredCondition[] {
  const modes = [
    ['tls.frontend.default', spec?.default?.validation?.mode] as const,
    ...(spec?.perPort ?? []).map(
      (p, i) => [`tls.frontend.perPort[${i}]`, p.tls?.validation?.mode] as const,
    ),
  ];
  const insecure = modes.filter(([, mode]) => mode === 'AllowInsecureFallback').map(([at]) => at);
  if (insecure.length === 0) return [];
  return [
    gatewayInsecureFrontendValidationMode(
      `${insecure.join(', ')}: AllowInsecureFallback lets clients without a valid certificate through`,
    ),
  ];
}

/** `<ns>/<name>` of the ConfigMaps `tls.frontend` names (for the watcher's affected keys). */
export function frontendConfigMaps(spec: FrontendTlsSpec | undefined, namespace: string): string[] {
  const validations = [
    spec?.default?.validation,
    ...(spec?.perPort ?? []).map((p) => p.tls?.validation),
  ];
  return validations.flatMap((v) =>
    (v?.caCertificateRefs ?? [])
      .filter((r) => r.kind === 'ConfigMap')
      .map((r) => `${r.namespace ?? namespace}/${r.name}`),
  );
}
