/**
 * `validation.subjectAltNames` of a BackendTLSPolicy (Gateway API v1, extended support
 * `BackendTLSPolicySANValidation`): when present, the backend's certificate must carry at
 * least one of the listed names, and `validation.hostname` is only the SNI.
 *
 * The graph checks each entry (a Hostname is a precise RFC 1123 name, a URI an absolute URI
 * with an authority, as the CRD's pattern asks) and hands the list to the IR unchanged; the
 * renderer chooses how to verify it (NGINX itself when the list is the hostname alone, its
 * backend TLS bridge otherwise).
 */
import type { SubjectAltNameIR } from '@portico/ir';
import type { BackendTLSPolicy } from './backendtls-types.ts';
import type { Validators } from './validation.ts';

type SubjectAltName = NonNullable<
  BackendTLSPolicy['spec']['validation']['subjectAltNames']
>[number];

/** The CRD's pattern for `uri`: a scheme, then `//` and an authority, then the rest. */
const URI_SHAPE = /^[^:/?#]+:\/\/[^/?#]*[^?#]*(\?[^#]*)?(#.*)?$/;
/** No whitespace or control characters: they have no place in a SAN and would hide in logs. */
const UNPRINTABLE = /[\s\p{Cc}]/u;
/** The CRD's `maxLength` of both fields. */
const MAX_LENGTH = 253;

/** Why `uri` is not an absolute URI the way the CRD means it; undefined when it is. */
export function uriProblem(uri: string): string | undefined {
  if (uri.length === 0 || uri.length > MAX_LENGTH) return `must be 1 to ${MAX_LENGTH} characters`;
  if (UNPRINTABLE.test(uri)) return 'must not contain whitespace or control characters';
  if (!URI_SHAPE.test(uri) || !URL.canParse(uri)) {
    return 'must be an absolute URI with a scheme and an authority (scheme://authority/path)';
  }
  return undefined;
}

function entryProblem(san: SubjectAltName, validators: Validators): string | undefined {
  switch (san.type) {
    case 'Hostname': {
      const hostname = san.hostname ?? '';
      if (san.uri !== undefined && san.uri !== '') return 'type Hostname must not set uri';
      const problem = validators.hostname(hostname);
      if (problem !== undefined) return `hostname: ${problem}`;
      return hostname.includes('*') ? 'hostname: must be a precise hostname' : undefined;
    }
    case 'URI': {
      if (san.hostname !== undefined && san.hostname !== '')
        return 'type URI must not set hostname';
      const problem = uriProblem(san.uri ?? '');
      return problem === undefined ? undefined : `uri: ${problem}`;
    }
    default:
      return `type ${JSON.stringify(san.type)} is not Hostname or URI`;
  }
}

/**
 * The first problem of a policy's `subjectAltNames`, naming the entry (`Accepted: False,
 * Invalid`); undefined when every entry can be verified.
 */
export function subjectAltNamesProblem(
  sans: readonly SubjectAltName[] | undefined,
  validators: Validators,
): string | undefined {
  for (const [i, san] of (sans ?? []).entries()) {
    const problem = entryProblem(san, validators);
    if (problem !== undefined) return `validation.subjectAltNames[${i}]: ${problem}`;
  }
  return undefined;
}

/** The IR form of validated SANs, in the policy's order; undefined when there are none. */
export function subjectAltNamesIR(
  sans: readonly SubjectAltName[] | undefined,
): SubjectAltNameIR[] | undefined {
  if (sans === undefined || sans.length === 0) return undefined;
  return sans.map((san) =>
    san.type === 'URI'
      ? { type: 'URI', uri: san.uri ?? '' }
      : { type: 'Hostname', hostname: san.hostname ?? '' },
  );
}
