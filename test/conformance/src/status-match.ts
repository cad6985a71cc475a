/**
 * Pure comparisons of status against expectations, with the upstream suite's semantics:
 * an empty status or reason in an expected condition matches any; expected listeners must all
 * be present with exactly the expected attachedRoutes and at least the expected kinds; every
 * condition must carry the object's current generation. Each returns `undefined` on a match,
 * else a sentence saying what differs (it ends up in the FAIL line).
 */

export interface Condition {
  type: string;
  status?: string;
  reason?: string;
  message?: string;
  observedGeneration?: number;
}

export interface RouteGroupKind {
  group?: string;
  kind: string;
}

export interface ListenerStatus {
  name: string;
  supportedKinds?: RouteGroupKind[];
  attachedRoutes?: number;
  conditions?: Condition[];
}

export interface ParentRef {
  group?: string;
  kind?: string;
  namespace?: string;
  name: string;
  sectionName?: string;
}

export interface RouteParentStatus {
  parentRef: ParentRef;
  controllerName: string;
  conditions?: Condition[];
}

const GATEWAY_GROUP = 'gateway.networking.k8s.io';

export function describeCondition(c: Condition): string {
  return `${c.type}=${c.status ?? '?'}${c.reason ? `/${c.reason}` : ''}`;
}

function describeAll(conditions: readonly Condition[]): string {
  return conditions.length === 0 ? '(none)' : conditions.map(describeCondition).join(', ');
}

/** Conditions whose observedGeneration is not the object's generation. */
export function staleConditions(
  generation: number | undefined,
  conditions: readonly Condition[],
): string | undefined {
  const stale = conditions.filter((c) => c.observedGeneration !== generation);
  if (stale.length === 0) return undefined;
  const list = stale.map((c) => `${c.type} (generation ${c.observedGeneration ?? 'unset'})`);
  return `expected observedGeneration ${generation ?? 'unset'} on every condition; stale: ${list.join(', ')}`;
}

/** Finds `expected` by type; empty status/reason match anything. */
export function findCondition(
  actual: readonly Condition[],
  expected: Condition,
): string | undefined {
  const found = actual.some(
    (c) =>
      c.type === expected.type &&
      (!expected.status || c.status === expected.status) &&
      (!expected.reason || c.reason === expected.reason),
  );
  return found ? undefined : `expected ${describeCondition(expected)}, have ${describeAll(actual)}`;
}

export function conditionsMatch(
  actual: readonly Condition[],
  expected: readonly Condition[],
): string | undefined {
  for (const condition of expected) {
    const miss = findCondition(actual, condition);
    if (miss) return miss;
  }
  return undefined;
}

/** Upstream `gatewayListenersMatch`. */
export function listenersMatch(
  actual: readonly ListenerStatus[],
  expected: readonly ListenerStatus[],
): string | undefined {
  if (actual.length !== expected.length)
    return `expected ${expected.length} listener statuses, have ${actual.length} (${actual.map((l) => l.name).join(', ')})`;
  for (const want of expected) {
    const have = actual.find((l) => l.name === want.name);
    if (!have) return `no status for listener ${want.name}`;
    const miss = listenerMatch(have, want);
    if (miss) return `listener ${want.name}: ${miss} (has ${describeAll(have.conditions ?? [])})`;
  }
  return undefined;
}

function listenerMatch(have: ListenerStatus, want: ListenerStatus): string | undefined {
  const haveKinds = have.supportedKinds ?? [];
  const wantKinds = want.supportedKinds ?? [];
  if (wantKinds.length === 0 && haveKinds.length !== 0)
    return `expected no supportedKinds, have ${haveKinds.map((k) => k.kind).join(', ')}`;
  for (const kind of wantKinds) {
    const group = kind.group ?? GATEWAY_GROUP;
    if (!haveKinds.some((k) => (k.group ?? GATEWAY_GROUP) === group && k.kind === kind.kind))
      return `expected ${group}/${kind.kind} in supportedKinds`;
  }
  if ((have.attachedRoutes ?? 0) !== (want.attachedRoutes ?? 0))
    return `expected attachedRoutes ${want.attachedRoutes ?? 0}, have ${have.attachedRoutes ?? 0}`;
  return conditionsMatch(have.conditions ?? [], want.conditions ?? []);
}

/**
 * Upstream `parentsForRouteMatch`: each expected parent needs an actual one with the same
 * controller, group, kind, name (and namespace when required or set) and the conditions.
 */
export function parentsMatch(
  actual: readonly RouteParentStatus[],
  expected: readonly RouteParentStatus[],
  namespaceRequired: boolean,
): string | undefined {
  for (const want of expected) {
    const misses = actual.map((have) => parentMatch(have, want, namespaceRequired));
    if (misses.includes(undefined)) continue;
    const why = misses.length === 0 ? 'no parents in status' : misses.join('; ');
    return `no parent status for ${want.parentRef.name} matched: ${why}`;
  }
  return undefined;
}

function parentMatch(
  have: RouteParentStatus,
  want: RouteParentStatus,
  namespaceRequired: boolean,
): string | undefined {
  if (have.controllerName !== want.controllerName) return `controllerName ${have.controllerName}`;
  if (have.parentRef.group !== want.parentRef.group)
    return `parentRef.group ${have.parentRef.group ?? '(unset)'}`;
  if (have.parentRef.kind !== want.parentRef.kind)
    return `parentRef.kind ${have.parentRef.kind ?? '(unset)'}`;
  if (have.parentRef.name !== want.parentRef.name) return `parentRef.name ${have.parentRef.name}`;
  if (
    have.parentRef.namespace !== want.parentRef.namespace &&
    (namespaceRequired || have.parentRef.namespace !== undefined)
  )
    return `parentRef.namespace ${have.parentRef.namespace ?? '(unset)'}`;
  return conditionsMatch(have.conditions ?? [], want.conditions ?? []);
}
