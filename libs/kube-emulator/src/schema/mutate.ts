/**
 * The two mutating steps of admission, in the API server's order: pruning (drop what the schema
 * does not declare, report it for `fieldValidation=Strict`) and structural defaulting.
 */
import type { Schema } from './dsl.ts';
import { childPath, indexPath } from './causes.ts';
import { isObj } from './values.ts';

/** Removes unknown fields (collecting their paths) and nulls of known, non-nullable fields. */
export function prune(value: unknown, schema: Schema, path: string, unknown: string[]): void {
  if (schema.type === 'array' && Array.isArray(value)) {
    value.forEach((item, i) => prune(item, schema.items, indexPath(path, i), unknown));
    return;
  }
  if (!isObj(value)) return;
  if (schema.type === 'map') {
    for (const [key, item] of Object.entries(value)) {
      prune(item, schema.values, childPath(path, key), unknown);
    }
    return;
  }
  if (schema.type !== 'object') return;
  for (const key of Object.keys(value)) {
    const propertySchema = schema.properties[key];
    const fieldPath = childPath(path, key);
    if (propertySchema === undefined) {
      if (schema.preserveUnknownFields) continue;
      unknown.push(fieldPath);
      delete value[key];
    } else if (value[key] === null) {
      // Nulls of non-nullable fields are dropped before defaulting (none here is nullable).
      delete value[key];
    } else {
      prune(value[key], propertySchema, fieldPath, unknown);
    }
  }
}

/**
 * Applies `default`s top-down: an absent property gets a copy of its default, then defaulting
 * continues into every present property (so defaults inside defaults and inside list items,
 * e.g. each listener's allowedRoutes or each match's path, apply too).
 */
export function applyDefaults(value: unknown, schema: Schema): void {
  if (schema.type === 'array' && Array.isArray(value)) {
    for (const item of value) applyDefaults(item, schema.items);
    return;
  }
  if (!isObj(value)) return;
  if (schema.type === 'map') {
    for (const item of Object.values(value)) applyDefaults(item, schema.values);
    return;
  }
  if (schema.type !== 'object') return;
  for (const [key, propertySchema] of Object.entries(schema.properties)) {
    if (propertySchema.type === 'opaque') continue;
    if (value[key] === undefined && propertySchema.default !== undefined) {
      value[key] = structuredClone(propertySchema.default);
    }
  }
  for (const [key, item] of Object.entries(value)) {
    const propertySchema = schema.properties[key];
    if (propertySchema !== undefined) applyDefaults(item, propertySchema);
  }
}
