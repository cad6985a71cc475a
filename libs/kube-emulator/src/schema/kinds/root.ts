/**
 * The root of every Gateway API CRD schema: apiVersion, kind and metadata belong to the server
 * (left opaque here), `spec` is required, `status` is the kind's own.
 */
import type { ObjectSchema } from '../dsl.ts';
import { object, opaque } from '../dsl.ts';

/** A served version's root schema. */
export function root(spec: ObjectSchema, status?: ObjectSchema): ObjectSchema {
  const properties = { apiVersion: opaque(), kind: opaque(), metadata: opaque(), spec };
  return object(status === undefined ? properties : { ...properties, status }, {
    required: ['spec'],
  });
}

/** One kind with the schema of each version it is served at. */
export interface KindSchemas {
  readonly group: string;
  readonly kind: string;
  readonly versions: Readonly<Record<string, ObjectSchema>>;
}
