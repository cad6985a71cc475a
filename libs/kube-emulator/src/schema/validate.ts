/**
 * OpenAPI v3 validation of a pruned, defaulted value, with kube-openapi's messages ("x in body
 * should match '...'"), followed by the `x-kubernetes-list-type` (set/map) uniqueness checks.
 */
import type {
  ArraySchema,
  IntegerSchema,
  MapSchema,
  ObjectSchema,
  Schema,
  StringSchema,
} from './dsl.ts';
import type { FieldCause } from './causes.ts';
import {
  childPath,
  duplicate,
  indexPath,
  invalid,
  notSupported,
  required,
  tooLong,
  tooMany,
  typeInvalid,
} from './causes.ts';
import { isObj } from './values.ts';

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** The JSON type name kube-openapi reports for a value. */
function jsonType(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function expectedType(schema: Exclude<Schema, { type: 'opaque' }>): string {
  return schema.type === 'map' ? 'object' : schema.type;
}

/** Validates `value` against `schema`, appending causes in kube-openapi's order. */
export function validateSchema(value: unknown, schema: Schema, path: string, out: FieldCause[]) {
  if (schema.type === 'opaque') return;
  const actual = jsonType(value);
  const expected = expectedType(schema);
  if (actual !== expected) {
    out.push(typeMismatch(schema, actual, path));
    return;
  }
  switch (schema.type) {
    case 'string':
      return validateString(value as string, schema, path, out);
    case 'integer':
      return validateInteger(value as number, schema, path, out);
    case 'boolean':
      return;
    case 'array':
      return validateArray(value as unknown[], schema, path, out);
    case 'object':
      return validateObject(value as Record<string, unknown>, schema, path, out);
    case 'map':
      return validateMap(value as Record<string, unknown>, schema, path, out);
  }
}

function typeMismatch(schema: Schema, actual: string, path: string): FieldCause {
  // A non-integral number for an int32/int64 field is reported against the format.
  if (schema.type === 'integer' && actual === 'number' && schema.format !== undefined) {
    return typeInvalid(
      path,
      'float64',
      `${path} in body must be of type ${schema.format}: "float64"`,
    );
  }
  const expected = schema.type === 'map' ? 'object' : schema.type;
  return typeInvalid(path, actual, `${path} in body must be of type ${expected}: "${actual}"`);
}

function validateString(value: string, schema: StringSchema, path: string, out: FieldCause[]) {
  const length = [...value].length;
  if (schema.maxLength !== undefined && length > schema.maxLength) {
    out.push(tooLong(path, schema.maxLength));
  }
  if (schema.minLength !== undefined && length < schema.minLength) {
    out.push(
      invalid(path, value, `${path} in body should be at least ${schema.minLength} chars long`),
    );
  }
  if (schema.pattern !== undefined && !schema.pattern.regex.test(value)) {
    out.push(invalid(path, value, `${path} in body should match '${schema.pattern.source}'`));
  }
  if (schema.format === 'date-time' && !isDateTime(value)) {
    out.push(typeInvalid(path, value, `${path} in body must be of type date-time: "${value}"`));
  }
  if (schema.enum !== undefined && !schema.enum.includes(value)) {
    out.push(notSupported(path, value, schema.enum));
  }
}

function isDateTime(value: string): boolean {
  return RFC3339.test(value) && !Number.isNaN(Date.parse(value.replace(' ', 'T')));
}

function validateInteger(value: number, schema: IntegerSchema, path: string, out: FieldCause[]) {
  if (schema.minimum !== undefined && value < schema.minimum) {
    const detail = `${path} in body should be greater than or equal to ${schema.minimum}`;
    out.push(invalid(path, value, detail));
  }
  if (schema.maximum !== undefined && value > schema.maximum) {
    const detail = `${path} in body should be less than or equal to ${schema.maximum}`;
    out.push(invalid(path, value, detail));
  }
  if (schema.enum !== undefined && !schema.enum.includes(value)) {
    out.push(notSupported(path, value, schema.enum));
  }
}

function validateArray(value: unknown[], schema: ArraySchema, path: string, out: FieldCause[]) {
  value.forEach((item, i) => validateSchema(item, schema.items, indexPath(path, i), out));
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    const detail = `${path} in body should have at least ${schema.minItems} items`;
    out.push(invalid(path, value.length, detail));
  }
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    out.push(tooMany(path, value.length, schema.maxItems));
  }
}

function validateObject(
  value: Record<string, unknown>,
  schema: ObjectSchema,
  path: string,
  out: FieldCause[],
) {
  for (const name of schema.required ?? []) {
    if (value[name] === undefined) out.push(required(childPath(path, name)));
  }
  for (const [key, propertySchema] of Object.entries(schema.properties)) {
    if (value[key] !== undefined)
      validateSchema(value[key], propertySchema, childPath(path, key), out);
  }
  for (const check of schema.checks ?? []) {
    for (const c of check(value, path)) {
      const cause = c.reason === 'FieldValueTypeInvalid' ? typeInvalid : invalid;
      out.push(cause(c.field, c.value, c.detail));
    }
  }
}

function validateMap(
  value: Record<string, unknown>,
  schema: MapSchema,
  path: string,
  out: FieldCause[],
) {
  const count = Object.keys(value).length;
  if (schema.maxProperties !== undefined && count > schema.maxProperties) {
    out.push(tooMany(path, count, schema.maxProperties));
  }
  for (const [key, item] of Object.entries(value)) {
    validateSchema(item, schema.values, childPath(path, key), out);
  }
}

/** `x-kubernetes-list-type: set | map`: reports each repeated element or key at its index. */
export function validateListTypes(value: unknown, schema: Schema, path: string, out: FieldCause[]) {
  if (schema.type === 'array' && Array.isArray(value)) {
    if (schema.listType === 'set' || schema.listType === 'map')
      checkUnique(value, schema, path, out);
    value.forEach((item, i) => validateListTypes(item, schema.items, indexPath(path, i), out));
  } else if (schema.type === 'object' && isObj(value)) {
    for (const [key, propertySchema] of Object.entries(schema.properties)) {
      if (value[key] !== undefined)
        validateListTypes(value[key], propertySchema, childPath(path, key), out);
    }
  } else if (schema.type === 'map' && isObj(value)) {
    for (const [key, item] of Object.entries(value)) {
      validateListTypes(item, schema.values, childPath(path, key), out);
    }
  }
}

function checkUnique(value: unknown[], schema: ArraySchema, path: string, out: FieldCause[]) {
  const seen = new Set<string>();
  value.forEach((item, i) => {
    const key = listKey(item, schema);
    if (key === undefined) return;
    const id = JSON.stringify(key);
    if (seen.has(id)) out.push(duplicate(indexPath(path, i), key));
    seen.add(id);
  });
}

/** The identity of a list element: the item itself (set) or its key fields (map). */
function listKey(item: unknown, schema: ArraySchema): unknown {
  if (schema.listType === 'set') return item;
  if (!isObj(item)) return undefined;
  const keys: Record<string, unknown> = {};
  for (const name of schema.mapKeys ?? []) keys[name] = item[name];
  return keys;
}
