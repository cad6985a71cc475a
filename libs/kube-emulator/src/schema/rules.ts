/**
 * The `x-kubernetes-validations` pass: each node's rules first, then its children, as the API
 * server's CEL validator walks the object. A failed rule is reported at the node's path as
 * `Invalid value: "<type>": <message>`.
 */
import type { Rule, RuleResult, Schema } from './dsl.ts';
import type { FieldCause } from './causes.ts';
import { childPath, indexPath, invalid } from './causes.ts';
import { isObj } from './values.ts';

/** The schema type name the server prints as the "bad value" of a failed rule. */
function typeName(schema: Exclude<Schema, { type: 'opaque' }>): string {
  return schema.type === 'map' ? 'object' : schema.type;
}

function runRules<T>(
  rules: readonly Rule<T>[],
  self: T,
  oldSelf: T | undefined,
  type: string,
  path: string,
  out: FieldCause[],
): void {
  for (const rule of rules) {
    if (rule.transition && oldSelf === undefined) continue;
    const result = evaluate(rule, self, oldSelf);
    if (result === true) continue;
    const detail =
      result === false ? rule.message : `${result.evalError} evaluating rule: ${rule.message}`;
    out.push(invalid(path, type, detail));
  }
}

/** Runs one rule; an exception in a predicate is an evaluation error, as in CEL. */
function evaluate<T>(rule: Rule<T>, self: T, oldSelf: T | undefined): RuleResult {
  try {
    return rule.check(self, oldSelf);
  } catch (error) {
    return { evalError: error instanceof Error ? error.message : String(error) };
  }
}

/** Evaluates every rule in `schema` against `value` (and `old` on update). */
export function validateRules(
  value: unknown,
  old: unknown,
  schema: Schema,
  path: string,
  out: FieldCause[],
): void {
  if (schema.type === 'opaque' || value === undefined) return;
  // The schema pass has already proven the types when this runs (type errors block it).
  runRules(
    (schema.rules ?? []) as readonly Rule<unknown>[],
    value,
    old,
    typeName(schema),
    path,
    out,
  );
  if (schema.type === 'array' && Array.isArray(value)) {
    const oldItems = correlatedItems(value, old, schema.listType, schema.mapKeys);
    value.forEach((item, i) =>
      validateRules(item, oldItems[i], schema.items, indexPath(path, i), out),
    );
  } else if (schema.type === 'object' && isObj(value)) {
    const oldObj = isObj(old) ? old : undefined;
    for (const [key, propertySchema] of Object.entries(schema.properties)) {
      validateRules(value[key], oldObj?.[key], propertySchema, childPath(path, key), out);
    }
  } else if (schema.type === 'map' && isObj(value)) {
    const oldObj = isObj(old) ? old : undefined;
    for (const [key, item] of Object.entries(value)) {
      validateRules(item, oldObj?.[key], schema.values, childPath(path, key), out);
    }
  }
}

/** Old list items correlate with new ones only in `map` lists, by key (as in the server). */
function correlatedItems(
  value: readonly unknown[],
  old: unknown,
  listType: string | undefined,
  mapKeys: readonly string[] | undefined,
): unknown[] {
  if (listType !== 'map' || !Array.isArray(old) || mapKeys === undefined) return [];
  const keyOf = (item: unknown) =>
    isObj(item) ? JSON.stringify(mapKeys.map((k) => item[k])) : undefined;
  const oldByKey = new Map(old.map((item) => [keyOf(item), item] as const));
  return value.map((item) => oldByKey.get(keyOf(item)));
}
