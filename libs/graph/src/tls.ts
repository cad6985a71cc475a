/**
 * Terminating listeners (HTTPS, and TLS in mode `Terminate`): resolve `tls.certificateRefs` into usable certificates, and say why the
 * others are not (Gateway API, Listener `ResolvedRefs`). Checked in this order, so the
 * reason is the first thing wrong with a reference:
 *
 * 1. group "" and kind Secret, else `InvalidCertificateRef`;
 * 2. another namespace needs a ReferenceGrant from this Gateway's namespace, else
 *    `RefNotPermitted` (whether or not the Secret exists: its existence is not ours to leak);
 * 3. the Secret exists, has `tls.crt` and `tls.key`, and the watcher found them to parse and
 *    belong together, else `InvalidCertificateRef`.
 *
 * Only the Secret summary is read (invariant 6): the graph never sees key material.
 */
import {
  listenerInvalidCertificateRef,
  listenerRefNotPermitted,
  listenerResolvedRefs,
  listenerUnsupportedValue,
  Reason,
} from '@portico/conditions';
import type { DesiredCondition } from '@portico/conditions';
import type { FrontendTlsSpec } from './frontend-tls.ts';
import { GATEWAY_GROUP } from './keys.ts';
import type { SnapshotLookup } from './lookup.ts';
import { referenceAllowed } from './referencegrant.ts';
import type { Listener, SecretObjectReference } from './resources.ts';
import type { CertificateRef } from './types.ts';

/** Protocols that terminate TLS with `tls.certificateRefs` whatever `tls.mode` says. */
export const TERMINATING_PROTOCOLS = new Set(['HTTPS']);

/**
 * Whether NGINX ends TLS for this listener with its `tls.certificateRefs`: HTTPS always, TLS
 * unless `tls.mode` is `Passthrough` (the spec's default mode is `Terminate`).
 */
export function terminatesTls(listener: Listener): boolean {
  if (TERMINATING_PROTOCOLS.has(listener.protocol)) return true;
  return listener.protocol === 'TLS' && (listener.tls?.mode ?? 'Terminate') === 'Terminate';
}

export interface ListenerTls {
  /** `ResolvedRefs` as far as certificates go (True when every reference resolved). */
  resolvedRefs: DesiredCondition;
  certificates: CertificateRef[];
}

/** Where the listener lives, and what it may look up. */
export interface TlsContext {
  gatewayNamespace: string;
  lookup: SnapshotLookup;
  /** The kind ReferenceGrants must name in `from`: `Gateway` unless a ListenerSet's. */
  fromKind?: 'Gateway' | 'ListenerSet';
  /** The Gateway's `spec.tls.frontend`: it covers ListenerSet listeners on its ports too. */
  frontend?: FrontendTlsSpec;
  /** The Gateway's namespace, where its CA references point by default (`gatewayNamespace`). */
  frontendNamespace?: string;
}

/** A problem with `tls` that makes the listener invalid as a whole (`Accepted` False). */
export function validateTlsMode(listener: Listener): DesiredCondition | undefined {
  if (!TERMINATING_PROTOCOLS.has(listener.protocol)) return undefined;
  const mode = listener.tls?.mode ?? 'Terminate';
  if (mode !== 'Terminate') {
    return listenerUnsupportedValue(
      `tls.mode ${mode} is not valid for protocol ${listener.protocol}: use Terminate`,
    );
  }
  return undefined;
}

/** The certificates of a terminating listener; undefined for the others. */
export function resolveCertificates(
  listener: Listener,
  context: TlsContext,
): ListenerTls | undefined {
  if (!terminatesTls(listener)) return undefined;
  const refs = listener.tls?.certificateRefs ?? [];
  if (refs.length === 0) {
    return {
      resolvedRefs: listenerInvalidCertificateRef('tls.certificateRefs is empty'),
      certificates: [],
    };
  }
  const problems: DesiredCondition[] = [];
  const certificates: CertificateRef[] = [];
  refs.forEach((ref, index) => {
    const result = resolveOne(ref, index, context);
    if ('reason' in result) problems.push(result);
    else certificates.push(result);
  });
  return { resolvedRefs: summarize(problems), certificates };
}

function resolveOne(
  ref: SecretObjectReference,
  index: number,
  { gatewayNamespace, lookup, fromKind = 'Gateway' }: TlsContext,
): CertificateRef | DesiredCondition {
  const at = `tls.certificateRefs[${index}]`;
  const group = ref.group ?? '';
  const kind = ref.kind ?? 'Secret';
  if (group !== '' || kind !== 'Secret') {
    return listenerInvalidCertificateRef(
      `${at}: ${group || 'core'}/${kind} is not supported: reference a core Secret`,
    );
  }
  const namespace = ref.namespace ?? gatewayNamespace;
  const key = `${namespace}/${ref.name}`;
  if (
    namespace !== gatewayNamespace &&
    !referenceAllowed(
      lookup.referenceGrants.get(namespace),
      { group: GATEWAY_GROUP, kind: fromKind, namespace: gatewayNamespace },
      { group: '', kind: 'Secret', name: ref.name },
    )
  ) {
    return listenerRefNotPermitted(
      `${at}: Secret ${key} is in another namespace and no ReferenceGrant allows it`,
    );
  }
  const secret = lookup.secrets.get(key);
  if (secret === undefined) return listenerInvalidCertificateRef(`${at}: Secret ${key} not found`);
  const problem = secretProblem(secret);
  if (problem !== undefined)
    return listenerInvalidCertificateRef(`${at}: Secret ${key} ${problem}`);
  return { namespace, name: ref.name, contentHash: secret.contentHash };
}

function secretProblem(secret: {
  type: string;
  hasCertificate: boolean;
  hasKey: boolean;
  certificateError?: string;
}): string | undefined {
  if (!secret.hasCertificate || !secret.hasKey) return 'needs both tls.crt and tls.key';
  if (secret.certificateError !== undefined) return `is not usable: ${secret.certificateError}`;
  return undefined;
}

/**
 * One `ResolvedRefs` for the listener: True when all resolved; otherwise the first problem's
 * reason, `RefNotPermitted` first because it is the one a user fixes elsewhere (a grant).
 */
function summarize(problems: readonly DesiredCondition[]): DesiredCondition {
  if (problems.length === 0) return listenerResolvedRefs();
  const first =
    problems.find((p) => p.reason === Reason.RefNotPermitted) ?? (problems[0] as DesiredCondition);
  const message = problems.map((p) => p.message).join('; ');
  return { ...first, message };
}
