/**
 * Field errors shaped like the Kubernetes API server's (`k8s.io/apimachinery` field.Error as
 * kube-apiserver 1.32 renders it into a 422 Status cause), so clients that parse causes, and
 * people who read them, see what a real cluster would say.
 */

export type CauseReason =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueDuplicate'
  | 'FieldValueTypeInvalid';

export interface FieldCause {
  reason: CauseReason;
  /** e.g. "spec.rules[0].matches[0].path.type", as the real API server writes field paths. */
  field: string;
  /** e.g. 'Unsupported value: "Foo": supported values: "Exact", "PathPrefix"'. */
  message: string;
}

/** The path of a property below `path`. */
export function childPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** The path of a list item below `path`. */
export function indexPath(path: string, index: number): string {
  return `${path}[${index}]`;
}

/** A nil field.Path prints as "<nil>". */
function fieldName(path: string): string {
  return path === '' ? '<nil>' : path;
}

/** Go's `%#v` of the values the server puts in causes (list-map keys print this way). */
function goSyntax(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[]interface {}{${value.map(goSyntax).join(', ')}}`;
  if (typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${goSyntax((value as Record<string, unknown>)[k])}`);
    return `map[string]interface {}{${entries.join(', ')}}`;
  }
  return String(value);
}

/** How field.Error prints a bad value: strings quoted, numbers and booleans bare, nil "null". */
export function badValue(value: unknown): string {
  if (value === null || value === undefined) return '"null"';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return goSyntax(value);
}

export function required(path: string): FieldCause {
  return { reason: 'FieldValueRequired', field: fieldName(path), message: 'Required value' };
}

export function invalid(path: string, value: unknown, detail: string): FieldCause {
  return {
    reason: 'FieldValueInvalid',
    field: fieldName(path),
    message: `Invalid value: ${badValue(value)}: ${detail}`,
  };
}

export function typeInvalid(path: string, value: unknown, detail: string): FieldCause {
  return {
    reason: 'FieldValueTypeInvalid',
    field: fieldName(path),
    message: `Invalid value: ${badValue(value)}: ${detail}`,
  };
}

export function notSupported(
  path: string,
  value: unknown,
  supported: readonly (string | number)[],
): FieldCause {
  const values = supported.map((v) => JSON.stringify(String(v))).join(', ');
  return {
    reason: 'FieldValueNotSupported',
    field: fieldName(path),
    message: `Unsupported value: ${badValue(value)}: supported values: ${values}`,
  };
}

export function tooLong(path: string, max: number): FieldCause {
  const unit = max === 1 ? 'byte' : 'bytes';
  return {
    reason: 'FieldValueTooLong',
    field: fieldName(path),
    message: `Too long: may not be more than ${max} ${unit}`,
  };
}

export function tooMany(path: string, actual: number, max: number): FieldCause {
  const unit = max === 1 ? 'item' : 'items';
  return {
    reason: 'FieldValueTooMany',
    field: fieldName(path),
    message: `Too many: ${actual}: must have at most ${max} ${unit}`,
  };
}

export function duplicate(path: string, value: unknown): FieldCause {
  return {
    reason: 'FieldValueDuplicate',
    field: fieldName(path),
    message: `Duplicate value: ${badValue(value)}`,
  };
}

/** Schema errors of these kinds stop the rules from running (the server's hasBlockingErr). */
export function isBlocking(cause: FieldCause): boolean {
  return (
    cause.reason === 'FieldValueNotSupported' ||
    cause.reason === 'FieldValueRequired' ||
    cause.reason === 'FieldValueTooLong' ||
    cause.reason === 'FieldValueTooMany' ||
    cause.reason === 'FieldValueTypeInvalid'
  );
}

/** What the server adds when blocking schema errors kept the rules from running. */
export function rulesSkipped(): FieldCause {
  return invalid(
    '',
    null,
    'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
  );
}
