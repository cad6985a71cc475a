/**
 * Admission of a write: name validation, then the Gateway API schema (prune unknown fields,
 * apply CRD defaults, validate) with kube-apiserver's `fieldValidation` semantics: `Strict`
 * refuses unknown fields with `400`, `Warn` (the default) prunes them with a warning, `Ignore`
 * prunes them silently. Validation failures are `422 Invalid` with causes.
 */
import type { KindInfo } from './kinds.ts';
import { badRequest, invalid, type StatusCause } from './status.ts';
import { metaString, type JsonObject } from './util.ts';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** The schema helper's answer (see `schema/index.ts`). */
export interface SchemaAdmission {
  unknownFields: string[];
  causes: { reason: string; field: string; message: string }[];
}

/**
 * The schema hook: `undefined` for a kind without a schema. Mutates `obj`. `old` is the stored
 * object on updates, for transition rules (e.g. an immutable GatewayClass `controllerName`).
 */
export type AdmitFn = (
  group: string,
  version: string,
  kind: string,
  obj: Record<string, unknown>,
  old?: Record<string, unknown>,
) => SchemaAdmission | undefined;

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** The name rule of a kind: DNS-1035 label for Services, DNS-1123 label for Namespaces, else subdomain. */
export function nameProblem(info: KindInfo, name: string): string | undefined {
  if (info.group === '' && info.kind === 'Service') {
    if (name.length > 63 || !DNS1035.test(name))
      return `Invalid value: "${name}": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character`;
  } else if (info.group === '' && info.kind === 'Namespace') {
    if (name.length > 63 || !LABEL.test(name))
      return `Invalid value: "${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character`;
  } else if (name.length > 253 || !SUBDOMAIN.test(name)) {
    return `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`;
  }
  return undefined;
}

/** `strict decoding error: unknown field "spec.foo", unknown field "spec.bar"`. */
export function strictDecodingMessage(fields: readonly string[]): string {
  return `strict decoding error: ${fields.map((f) => `unknown field "${f}"`).join(', ')}`;
}

/**
 * Admits `obj` in place and returns the warnings to send; throws `400` (strict unknown fields)
 * or `422` (invalid).
 */
export function admit(
  admitFn: AdmitFn,
  info: KindInfo,
  version: string,
  obj: JsonObject,
  validation: FieldValidation,
  old?: JsonObject,
): string[] {
  const name = metaString(obj, 'name');
  const problem = nameProblem(info, name);
  if (problem)
    throw invalid(info, name, [
      { reason: 'FieldValueInvalid', field: 'metadata.name', message: problem },
    ]);
  const result =
    old === undefined
      ? admitFn(info.group, version, info.kind, obj)
      : admitFn(info.group, version, info.kind, obj, old);
  if (!result) return [];
  if (result.unknownFields.length > 0 && validation === 'Strict') {
    throw badRequest(strictDecodingMessage(result.unknownFields));
  }
  if (result.causes.length > 0) {
    const causes: StatusCause[] = result.causes.map((c) => ({
      reason: c.reason,
      message: c.message,
      field: c.field,
    }));
    throw invalid(info, name, causes);
  }
  return validation === 'Warn' ? result.unknownFields.map((f) => `unknown field "${f}"`) : [];
}
