/**
 * Filter pieces shared by HTTPRoute and GRPCRoute: header modifiers, request mirroring, and the
 * rules that tie a filter's `type` to the one field it may set.
 */
import type { Obj, ObjectSchema, Rule } from '../dsl.ts';
import { array, integer, object, rule, string } from '../dsl.ts';
import { has } from '../values.ts';
import { headerName, headerValue } from './common.ts';
import { backendObjectReference } from './refs.ts';

/** `HTTPHeader` name/value pair (set/add of header modifiers). */
function header(): ObjectSchema {
  return object({ name: headerName(), value: headerValue() }, { required: ['name', 'value'] });
}

/** `HTTPHeaderFilter`: request or response header modifier. */
export function headerModifier(): ObjectSchema {
  const pairs = () => array(header(), { maxItems: 16, listType: 'map', mapKeys: ['name'] });
  return object({
    add: pairs(),
    remove: array(string(), { maxItems: 16, listType: 'set' }),
    set: pairs(),
  });
}

/** `HTTPRequestMirrorFilter`: a backend and either a percent or a fraction. */
export function requestMirror(): ObjectSchema {
  const fraction = object(
    {
      denominator: integer({ format: 'int32', minimum: 1, default: 100 }),
      numerator: integer({ format: 'int32', minimum: 0 }),
    },
    {
      required: ['numerator'],
      rules: [
        rule<Obj>(
          'numerator must be less than or equal to denominator',
          (f) => Number(f.numerator) <= Number(f.denominator),
        ),
      ],
    },
  );
  return object(
    {
      backendRef: backendObjectReference(),
      fraction,
      percent: integer({ format: 'int32', minimum: 0, maximum: 100 }),
    },
    {
      required: ['backendRef'],
      rules: [
        rule<Obj>(
          'Only one of percent or fraction may be specified in HTTPRequestMirrorFilter',
          (m) => !(has(m, 'percent') && has(m, 'fraction')),
        ),
      ],
    },
  );
}

/** For each [field, type]: the field is set when, and only when, the filter has that type. */
export function filterFieldRules(pairs: readonly (readonly [string, string])[]): Rule<Obj>[] {
  return pairs.flatMap(([field, type]) => [
    rule<Obj>(
      `filter.${field} must be nil if the filter.type is not ${type}`,
      (f) => !(has(f, field) && f.type !== type),
    ),
    rule<Obj>(
      `filter.${field} must be specified for ${type} filter.type`,
      (f) => !(!has(f, field) && f.type === type),
    ),
  ]);
}

/** "<Type> filter cannot be repeated", for each listed type. */
export function notRepeated(types: readonly string[]): Rule<readonly unknown[]>[] {
  return types.map((type) =>
    rule<readonly unknown[]>(
      `${type} filter cannot be repeated`,
      (filters) => (filters as Obj[]).filter((f) => f.type === type).length <= 1,
    ),
  );
}
