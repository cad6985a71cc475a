/**
 * Admission of one object against one structural schema, in the API server's order: prune
 * unknown fields, apply defaults, validate the OpenAPI schema and list types, then (only if no
 * blocking error was found) the validation rules.
 */
import type { Obj, ObjectSchema } from './dsl.ts';
import type { FieldCause } from './causes.ts';
import { isBlocking, rulesSkipped } from './causes.ts';
import { applyDefaults, prune } from './mutate.ts';
import { validateRules } from './rules.ts';
import { validateListTypes, validateSchema } from './validate.ts';

export interface AdmissionResult {
  /** Paths of the pruned fields, sorted, e.g. ["spec.foo", "spec.rules[0].bar"]. */
  unknownFields: string[];
  causes: FieldCause[];
}

/** Prunes, defaults and validates `obj` in place against `schema`; `old` enables transition rules. */
export function admit(schema: ObjectSchema, obj: Obj, old?: Obj): AdmissionResult {
  const unknownFields: string[] = [];
  prune(obj, schema, '', unknownFields);
  applyDefaults(obj, schema);
  const causes: FieldCause[] = [];
  validateSchema(obj, schema, '', causes);
  validateListTypes(obj, schema, '', causes);
  if (causes.some(isBlocking)) {
    causes.push(rulesSkipped());
  } else {
    validateRules(obj, old, schema, '', causes);
  }
  return { unknownFields: unknownFields.sort(), causes };
}
