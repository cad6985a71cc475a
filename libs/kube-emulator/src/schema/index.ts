/**
 * Gateway API v1.6.1 schemas for the API emulator: what the CRDs make the API server do to a
 * Gateway API object on create and update (prune unknown fields, apply defaults, validate the
 * OpenAPI schema and the `x-kubernetes-validations` rules), encoded in a small TypeScript DSL.
 * The experimental channel's schemas are encoded (a superset of the standard channel's), so
 * objects using experimental fields are accepted. A development tool, not a production part.
 */
import type { Obj } from './dsl.ts';
import { admit } from './admit.ts';
import type { AdmissionResult } from './admit.ts';
import { backendTlsPolicy } from './kinds/backendtlspolicy.ts';
import { gateway } from './kinds/gateway.ts';
import { gatewayClass } from './kinds/gatewayclass.ts';
import { gatewayParameters } from './kinds/gatewayparameters.ts';
import { grpcRoute } from './kinds/grpcroute.ts';
import { httpRoute } from './kinds/httproute.ts';
import { listenerSet } from './kinds/listenerset.ts';
import { referenceGrant } from './kinds/referencegrant.ts';
import type { KindSchemas } from './kinds/root.ts';
import { tcpRoute } from './kinds/tcproute.ts';
import { tlsRoute } from './kinds/tlsroute.ts';
import { udpRoute } from './kinds/udproute.ts';

export type { AdmissionResult } from './admit.ts';
export type { CauseReason, FieldCause } from './causes.ts';
export type { KindSchemas } from './kinds/root.ts';

/** Every kind with a schema, and the versions each is served at. */
export const SCHEMA_KINDS: readonly KindSchemas[] = [
  gatewayClass,
  gateway,
  httpRoute,
  grpcRoute,
  referenceGrant,
  backendTlsPolicy,
  listenerSet,
  tlsRoute,
  tcpRoute,
  udpRoute,
  gatewayParameters,
];

const BY_KEY = new Map(
  SCHEMA_KINDS.flatMap((k) =>
    Object.entries(k.versions).map(([version, schema]) => [
      `${k.group}/${version}/${k.kind}`,
      schema,
    ]),
  ),
);

/**
 * Prunes unknown fields (returns their paths), applies the CRD defaults, validates. Mutates
 * `obj` (spec and status; not apiVersion/kind/metadata, which the server handles). Returns
 * undefined for a group/version/kind it has no schema for. Pass `oldObj` on update so that
 * transition rules (GatewayClass `controllerName` is immutable) apply.
 */
export function admitObject(
  group: string,
  version: string,
  kind: string,
  obj: Record<string, unknown>,
  oldObj?: Record<string, unknown>,
): AdmissionResult | undefined {
  const schema = BY_KEY.get(`${group}/${version}/${kind}`);
  return schema === undefined ? undefined : admit(schema, obj as Obj, oldObj);
}
