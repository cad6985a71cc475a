/**
 * A tiny structural-schema DSL: the subset of OpenAPI v3 that CRDs use (types, required, enum,
 * lengths, patterns, item counts, defaults, list types), plus `x-kubernetes-validations` rules
 * re-expressed as TypeScript predicates. One interpreter (`admit.ts`) prunes, defaults and
 * validates any schema written with it.
 */

/** A JSON object as the API server sees it. */
export type Obj = Record<string, unknown>;

/** A regular expression together with the exact text the CRD declares (messages quote it). */
export interface Pattern {
  readonly source: string;
  readonly regex: RegExp;
}

/**
 * The outcome of a rule: true (valid), false (the rule's message applies), or an evaluation
 * error (what CEL reports when a rule reads a field that is absent, e.g. "no such key: x").
 */
export type RuleResult = boolean | { readonly evalError: string };

/** One `x-kubernetes-validations` entry. `check` sees the defaulted value. */
export interface Rule<T> {
  readonly message: string;
  readonly check: (self: T, oldSelf: T | undefined) => RuleResult;
  /** A transition rule (uses oldSelf): evaluated only on update, when the old value exists. */
  readonly transition?: boolean;
}

/** A cause produced by a schema-level check that plain keywords cannot express (anyOf). */
export interface CheckCause {
  readonly reason: 'FieldValueInvalid' | 'FieldValueTypeInvalid';
  readonly field: string;
  readonly value: unknown;
  readonly detail: string;
}

/** A schema-phase check on an object (runs with the OpenAPI validation, before the rules). */
export type SchemaCheck = (self: Obj, path: string) => readonly CheckCause[];

interface Base<T> {
  readonly default?: unknown;
  readonly rules?: readonly Rule<T>[];
}

export interface StringSchema extends Base<string> {
  readonly type: 'string';
  readonly enum?: readonly string[];
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: Pattern;
  readonly format?: 'date-time';
}

export interface IntegerSchema extends Base<number> {
  readonly type: 'integer';
  readonly enum?: readonly number[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly format?: 'int32' | 'int64';
}

export interface BooleanSchema extends Base<boolean> {
  readonly type: 'boolean';
}

export interface ArraySchema extends Base<readonly unknown[]> {
  readonly type: 'array';
  readonly items: Schema;
  readonly minItems?: number;
  readonly maxItems?: number;
  /** `x-kubernetes-list-type`; `map` needs `mapKeys`. */
  readonly listType?: 'atomic' | 'set' | 'map';
  readonly mapKeys?: readonly string[];
}

export interface ObjectSchema extends Base<Obj> {
  readonly type: 'object';
  readonly properties: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly preserveUnknownFields?: boolean;
  readonly checks?: readonly SchemaCheck[];
}

/** An object with `additionalProperties` (string-keyed map). */
export interface MapSchema extends Base<Obj> {
  readonly type: 'map';
  readonly values: Schema;
  readonly maxProperties?: number;
}

/** A value this module does not look into (metadata, apiVersion, kind: the server's job). */
export interface OpaqueSchema {
  readonly type: 'opaque';
}

export type Schema =
  | StringSchema
  | IntegerSchema
  | BooleanSchema
  | ArraySchema
  | ObjectSchema
  | MapSchema
  | OpaqueSchema;

type Options<S> = Omit<S, 'type'>;

/** Compiles a CRD pattern; `safe` replaces a regex that would backtrack badly in JavaScript. */
export function pattern(source: string, safe?: RegExp): Pattern {
  return { source, regex: safe ?? new RegExp(source) };
}

export function string(opts: Options<StringSchema> = {}): StringSchema {
  return { type: 'string', ...opts };
}

export function integer(opts: Options<IntegerSchema> = {}): IntegerSchema {
  return { type: 'integer', ...opts };
}

export function boolean(opts: Options<BooleanSchema> = {}): BooleanSchema {
  return { type: 'boolean', ...opts };
}

export function array(items: Schema, opts: Omit<ArraySchema, 'type' | 'items'> = {}): ArraySchema {
  return { type: 'array', items, ...opts };
}

export function object(
  properties: Readonly<Record<string, Schema>>,
  opts: Omit<ObjectSchema, 'type' | 'properties'> = {},
): ObjectSchema {
  return { type: 'object', properties, ...opts };
}

export function map(values: Schema, opts: Omit<MapSchema, 'type' | 'values'> = {}): MapSchema {
  return { type: 'map', values, ...opts };
}

export function opaque(): OpaqueSchema {
  return { type: 'opaque' };
}

/** A validation rule; `check` returns true when the value is valid. */
export function rule<T>(message: string, check: (self: T) => RuleResult): Rule<T> {
  return { message, check: (self) => check(self) };
}

/** A transition rule (`self == oldSelf` style), evaluated only on update. */
export function transitionRule<T>(
  message: string,
  check: (self: T, oldSelf: T) => boolean,
): Rule<T> {
  return {
    message,
    transition: true,
    check: (self, oldSelf) => oldSelf === undefined || check(self, oldSelf),
  };
}

/** Adds rules to a schema built elsewhere (shared pieces that gain rules in one place). */
export function withRules<S extends Exclude<Schema, OpaqueSchema>>(
  schema: S,
  rules: NonNullable<S['rules']>,
): S {
  return { ...schema, rules: [...(schema.rules ?? []), ...rules] };
}

/** Returns a copy of a schema with a default value. */
export function withDefault<S extends Exclude<Schema, OpaqueSchema>>(schema: S, value: unknown): S {
  return { ...schema, default: value };
}
