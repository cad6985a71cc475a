/**
 * The graph's verdicts as the condition lists the spec expects, in a fixed order. Shared by
 * @portico/status (which adds time, generation and `Programmed`) and the golden tests.
 */
import type { DesiredCondition } from '@portico/conditions';
import type { ParentNode, RouteNode } from './types.ts';

/**
 * Conditions of one route parent entry: `Accepted`, `ResolvedRefs` (route-wide), and
 * `PartiallyInvalid` while the route is accepted but some rules were dropped.
 */
export function routeParentConditions(route: RouteNode, parent: ParentNode): DesiredCondition[] {
  const partial =
    parent.accepted.status === 'True' && route.partiallyInvalid !== undefined
      ? [route.partiallyInvalid]
      : [];
  return [parent.accepted, route.resolvedRefs, ...partial];
}

/** The parentRef as written in status: group, kind and namespace always spelled out. */
export function statusParentRef(parent: ParentNode): ParentNode['ref'] {
  const { group, kind, namespace, name, sectionName, port } = parent.ref;
  return {
    group,
    kind,
    namespace,
    name,
    ...(sectionName === undefined ? {} : { sectionName }),
    ...(port === undefined ? {} : { port }),
  };
}
