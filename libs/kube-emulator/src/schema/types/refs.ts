/**
 * Object references of Gateway API v1.6.1: ParentReference (routes to Gateways), BackendRef
 * (routes to Services), SecretObjectReference (listeners to certificates) and the local and
 * namespaced object references used by policies and TLS settings.
 */
import type { ArraySchema, Obj, ObjectSchema, Rule, Schema } from '../dsl.ts';
import { array, object, rule } from '../dsl.ts';
import { has, sameOptional, unsetOrZero } from '../values.ts';
import { group, kind, namespace, objectName, portNumber, sectionName, weight } from './common.ts';

const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/** `ParentReference`: group and kind default to the Gateway's. */
export function parentReference(): ObjectSchema {
  return object(
    {
      group: group(GATEWAY_GROUP),
      kind: kind('Gateway'),
      name: objectName(),
      namespace: namespace(),
      port: portNumber(),
      sectionName: sectionName(),
    },
    { required: ['name'] },
  );
}

/** Same group, kind, name and namespace (absent and "" meaning the same). */
function sameParent(p1: Obj, p2: Obj): boolean {
  return (
    p1.group === p2.group &&
    p1.kind === p2.kind &&
    p1.name === p2.name &&
    sameOptional(p1, p2, 'namespace')
  );
}

const parentRefRules: readonly Rule<readonly unknown[]>[] = [
  rule(
    'sectionName or port must be specified when parentRefs includes 2 or more references to the same parent',
    (refs) =>
      (refs as Obj[]).every((p1) =>
        (refs as Obj[]).every(
          (p2) =>
            !sameParent(p1, p2) ||
            (unsetOrZero(p1, 'sectionName') === unsetOrZero(p2, 'sectionName') &&
              unsetOrZero(p1, 'port') === unsetOrZero(p2, 'port')),
        ),
      ),
  ),
  rule(
    'sectionName or port must be unique when parentRefs includes 2 or more references to the same parent',
    (refs) =>
      (refs as Obj[]).every(
        (p1) =>
          (refs as Obj[]).filter(
            (p2) =>
              sameParent(p1, p2) &&
              sameOptional(p1, p2, 'sectionName') &&
              sameOptional(p1, p2, 'port'),
          ).length === 1,
      ),
  ),
];

/** A route's `spec.parentRefs` (at most 32, each parent/section/port once). */
export function parentRefs(): ArraySchema {
  return array(parentReference(), { maxItems: 32, listType: 'atomic', rules: parentRefRules });
}

/** "Must have port for Service reference" on every BackendObjectReference. */
const servicePortRule = rule<Obj>(
  'Must have port for Service reference',
  (ref) => !(ref.group === '' && ref.kind === 'Service') || has(ref, 'port'),
);

/** `BackendObjectReference` (Service by default); `extra` adds weight, filters, ... */
export function backendObjectReference(extra: Readonly<Record<string, Schema>> = {}): ObjectSchema {
  return object(
    {
      ...extra,
      group: group(''),
      kind: kind('Service'),
      name: objectName(),
      namespace: namespace(),
      port: portNumber(),
    },
    { required: ['name'], rules: [servicePortRule] },
  );
}

/** `BackendRef`: a backend object reference with a weight (TLS/TCP/UDP routes). */
export function backendRef(extra: Readonly<Record<string, Schema>> = {}): ObjectSchema {
  return backendObjectReference({ ...extra, weight: weight() });
}

/** `SecretObjectReference` (certificate refs): kind Secret in the core group by default. */
export function secretObjectReference(): ObjectSchema {
  return object(
    { group: group(''), kind: kind('Secret'), name: objectName(), namespace: namespace() },
    { required: ['name'] },
  );
}

/** `LocalObjectReference`: group, kind and name, all required (extensionRef, CA refs). */
export function localObjectReference(): ObjectSchema {
  return object(
    { group: group(), kind: kind(), name: objectName() },
    { required: ['group', 'kind', 'name'] },
  );
}

/** `ObjectReference`: a local reference that may name another namespace. */
export function objectReference(): ObjectSchema {
  return object(
    { group: group(), kind: kind(), name: objectName(), namespace: namespace() },
    { required: ['group', 'kind', 'name'] },
  );
}

/** `RouteGroupKind` (allowedRoutes.kinds, supportedKinds). */
export function routeGroupKind(): ObjectSchema {
  return object({ group: group(GATEWAY_GROUP), kind: kind() }, { required: ['kind'] });
}
