/**
 * HTTPRoutes: keep those that concern us (a parentRef to one of our Gateways, or a status
 * entry of ours to clean up), apply parentRef defaults, and validate hostnames and rules.
 * Attachment and backends are later steps, because they need every route processed first.
 */
import {
  ConditionError,
  routeNoMatchingParent,
  routePartiallyInvalid,
  routeResolvedRefs,
  routeUnsupportedValue,
} from '@portico/conditions';
import type { DesiredCondition } from '@portico/conditions';
import { compareStrings, GATEWAY_GROUP, gatewayKey, namespaceOf } from './keys.ts';
import type { HTTPRoute, ParentReference } from './resources.ts';
import { isListenerSetRef, listenerSetParent } from './listenerset.ts';
import { memoOnFrozen } from './frozen-memo.ts';
import { validateRule } from './rules.ts';
import type {
  GatewayNode,
  GraphDeps,
  NormalizedParentRef,
  ParentNode,
  RouteNode,
} from './types.ts';
import type { Validators } from './validation.ts';

/** Routes that concern us, by `<ns>/<name>`, in that order. */
export function processHTTPRoutes(
  routes: readonly HTTPRoute[],
  gateways: ReadonlyMap<string, GatewayNode>,
  deps: GraphDeps,
): Map<string, RouteNode> {
  return processRoutesOfKind(routes, 'HTTPRoute', gateways, deps);
}

/**
 * Routes of one kind that concern us (a parentRef to one of our Gateways, or a status entry
 * of ours to clean up), keyed by {@link routeKey}, sorted. GRPCRoutes come here in their
 * HTTPRoute shape (see grpcroute.ts).
 */
export function processRoutesOfKind(
  routes: readonly HTTPRoute[],
  kind: RouteNode['kind'],
  gateways: ReadonlyMap<string, GatewayNode>,
  deps: GraphDeps,
): Map<string, RouteNode> {
  const nodes: RouteNode[] = [];
  for (const source of routes) {
    const parents = ourParents(source, gateways);
    const hasOurStatus = (source.status?.parents ?? []).some(
      (p) => p.controllerName === deps.controllerName,
    );
    if (parents.length === 0 && !hasOurStatus) continue;
    if (deps.scope !== undefined && !concerns(source, parents, deps.scope, deps.controllerName))
      continue;
    nodes.push(routeNode(source, kind, parents, deps.validators));
  }
  nodes.sort((a, b) => compareStrings(a.key, b.key));
  return new Map(nodes.map((n) => [n.key, n]));
}

/**
 * Whether `gatewayKey`'s outputs can depend on a route: it has a parent on that Gateway, or
 * a status entry of ours for it that may need cleaning up. Entries for ListenerSets are kept
 * whatever their Gateway (which set belongs to which Gateway is settled by other steps).
 */
function concerns(
  source: HTTPRoute,
  parents: readonly ParentNode[],
  key: string,
  controllerName: string,
): boolean {
  if (parents.some((p) => p.gatewayKey === key)) return true;
  const namespace = namespaceOf(source.metadata);
  return (source.status?.parents ?? []).some((entry) => {
    if (entry.controllerName !== controllerName) return false;
    const ref = normalizeParentRef(entry.parentRef, namespace);
    if (ref.group !== GATEWAY_GROUP) return false;
    if (ref.kind === 'ListenerSet') return true;
    return ref.kind === 'Gateway' && gatewayKey(ref.namespace, ref.name) === key;
  });
}

/**
 * A route's key in `Graph.routes`: `<ns>/<name>` for HTTPRoutes (what the reconciler has
 * always used), `GRPCRoute:<ns>/<name>` otherwise, so an HTTPRoute and a GRPCRoute of one
 * name never collide.
 */
export function routeKey(kind: RouteNode['kind'], namespace: string, name: string): string {
  return kind === 'HTTPRoute' ? `${namespace}/${name}` : `${kind}:${namespace}/${name}`;
}

/** A parentRef with the spec's defaults: Gateway kind and group, the route's namespace. */
export function normalizeParentRef(
  ref: ParentReference,
  routeNamespace: string,
): NormalizedParentRef {
  return {
    ...ref,
    group: ref.group ?? GATEWAY_GROUP,
    kind: ref.kind ?? 'Gateway',
    namespace: ref.namespace ?? routeNamespace,
  };
}

function ourParents(route: HTTPRoute, gateways: ReadonlyMap<string, GatewayNode>): ParentNode[] {
  const namespace = namespaceOf(route.metadata);
  const parents: ParentNode[] = [];
  for (const [index, raw] of (route.spec.parentRefs ?? []).entries()) {
    const ref = normalizeParentRef(raw, namespace);
    if (isListenerSetRef(ref)) {
      const viaSet = listenerSetParent(ref, index, gateways);
      if (viaSet !== undefined) parents.push(viaSet);
      continue;
    }
    if (ref.group !== GATEWAY_GROUP || ref.kind !== 'Gateway') continue;
    const key = gatewayKey(ref.namespace, ref.name);
    if (!gateways.has(key)) continue;
    // Replaced by bindRoutesToListeners; a parent that step does not reach stays unmatched.
    const accepted = routeNoMatchingParent('not bound to a listener');
    parents.push({ index, ref, gatewayKey: key, accepted, bindings: [] });
  }
  return parents;
}

function routeNode(
  source: HTTPRoute,
  kind: RouteNode['kind'],
  parents: ParentNode[],
  validators: Validators,
): RouteNode {
  const {
    hostnames,
    badHostnames,
    rules: validated,
    dropped,
  } = validateSpec(source.spec, validators);
  // Later steps fill each rule's backends and mirrors: the route gets rules of its own.
  const rules = validated.map((rule) => ({ ...rule, backends: [], mirrors: [] }));
  return {
    key: routeKey(kind, namespaceOf(source.metadata), source.metadata.name),
    kind,
    source,
    hostnames,
    rules,
    refusal: refusal(badHostnames, rules.length, dropped),
    partiallyInvalid:
      rules.length > 0 && dropped.length > 0
        ? routePartiallyInvalid(dropped.map((c) => c.message).join('; '))
        : undefined,
    resolvedRefs: routeResolvedRefs(),
    parents,
  };
}

/** What a spec says on its own: its hostnames and rules, validated (remembered per spec). */
const validateSpec = memoOnFrozen((spec: HTTPRoute['spec'], validators: Validators) => {
  const hostnames = spec.hostnames ?? [];
  const badHostnames = hostnames.map((h) => validators.hostname(h)).filter((p) => p !== undefined);
  return { hostnames, badHostnames, ...validateRules(spec, validators) };
});

function validateRules(
  spec: HTTPRoute['spec'],
  validators: Validators,
): { rules: RouteNode['rules']; dropped: DesiredCondition[] } {
  // No rules at all means the CRD default: one rule matching every path, without backends.
  const specRules = spec.rules === undefined || spec.rules.length === 0 ? [{}] : spec.rules;
  const rules: RouteNode['rules'] = [];
  const dropped: DesiredCondition[] = [];
  for (const [index, rule] of specRules.entries()) {
    const node = validateRule(rule, index, validators);
    if (node instanceof ConditionError) dropped.push(node.condition);
    else rules.push(node);
  }
  return { rules, dropped };
}

function refusal(
  badHostnames: string[],
  validRules: number,
  dropped: DesiredCondition[],
): DesiredCondition | undefined {
  if (badHostnames.length > 0) return routeUnsupportedValue(badHostnames.join('; '));
  const first = dropped[0];
  if (validRules === 0 && first !== undefined) {
    // The reason of the first dropped rule (UnsupportedValue or IncompatibleFilters).
    return { ...first, message: `no valid rule: ${dropped.map((c) => c.message).join('; ')}` };
  }
  return undefined;
}
