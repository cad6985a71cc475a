/**
 * Status types shared by the kinds: metav1.Condition lists, the `parents[]` of route status,
 * the `ancestors[]` of policy status, listener status, and the "Pending" conditions that the
 * CRDs default into a new GatewayClass, Gateway or ListenerSet.
 */
import type { ArraySchema, ObjectSchema } from '../dsl.ts';
import { array, integer, object, pattern, string } from '../dsl.ts';
import { controllerName, sectionName } from './common.ts';
import { parentReference, routeGroupKind } from './refs.ts';

/** The condition the CRDs default for each listed type until a controller writes status. */
export function pendingConditions(types: readonly string[]): object[] {
  return types.map((type) => ({
    lastTransitionTime: '1970-01-01T00:00:00Z',
    message: 'Waiting for controller',
    reason: 'Pending',
    status: 'Unknown',
    type,
  }));
}

/** `metav1.Condition`. */
function condition(): ObjectSchema {
  return object(
    {
      lastTransitionTime: string({ format: 'date-time' }),
      message: string({ maxLength: 32768 }),
      observedGeneration: integer({ format: 'int64', minimum: 0 }),
      reason: string({
        minLength: 1,
        maxLength: 1024,
        pattern: pattern('^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$'),
      }),
      status: string({ enum: ['True', 'False', 'Unknown'] }),
      type: string({
        maxLength: 316,
        pattern: pattern(
          String.raw`^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$`,
        ),
      }),
    },
    { required: ['lastTransitionTime', 'message', 'reason', 'status', 'type'] },
  );
}

/** A condition list: a list-map keyed by type, at most 8. */
export function conditions(opts: { minItems?: number; default?: unknown } = {}): ArraySchema {
  return array(condition(), { maxItems: 8, listType: 'map', mapKeys: ['type'], ...opts });
}

/** Route status: one `parents[]` entry per (parentRef, controller). */
export function routeStatus(): ObjectSchema {
  const parent = object(
    {
      conditions: conditions({ minItems: 1 }),
      controllerName: controllerName(),
      parentRef: parentReference(),
    },
    { required: ['conditions', 'controllerName', 'parentRef'] },
  );
  return object(
    { parents: array(parent, { maxItems: 32, listType: 'atomic' }) },
    { required: ['parents'] },
  );
}

/** Policy status (BackendTLSPolicy): one `ancestors[]` entry per (ancestor, controller). */
export function policyStatus(): ObjectSchema {
  const ancestor = object(
    {
      ancestorRef: parentReference(),
      conditions: conditions({ minItems: 1 }),
      controllerName: controllerName(),
    },
    { required: ['ancestorRef', 'conditions', 'controllerName'] },
  );
  return object(
    { ancestors: array(ancestor, { maxItems: 16, listType: 'atomic' }) },
    { required: ['ancestors'] },
  );
}

/** `ListenerStatus` (Gateway and ListenerSet status). */
export function listenerStatuses(): ArraySchema {
  const listener = object(
    {
      attachedRoutes: integer({ format: 'int32' }),
      conditions: conditions(),
      name: sectionName(),
      supportedKinds: array(routeGroupKind(), { maxItems: 8, listType: 'atomic' }),
    },
    { required: ['attachedRoutes', 'conditions', 'name'] },
  );
  return array(listener, { maxItems: 64, listType: 'map', mapKeys: ['name'] });
}
