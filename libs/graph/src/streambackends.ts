/**
 * Backends of stream routes: each backendRef of the (single, v1) rule becomes a weighted
 * share of the connections, either an upstream (one per Service port, named like HTTP
 * upstreams) or `null`, an invalid backend whose share of connections is refused. The
 * reasons become the route's `ResolvedRefs`. Stream proxying forwards bytes, so any
 * `appProtocol` is accepted.
 */
import {
  ConditionError,
  routeBackendNotFound,
  routeInvalidKind,
  routeRefNotPermitted,
} from '@portico/conditions';
import { isServiceRef } from './backends.ts';
import { readyEndpoints } from './endpoints.ts';
import { compareStrings, GATEWAY_GROUP, namespaceOf } from './keys.ts';
import type { SnapshotLookup } from './lookup.ts';
import { upstreamName } from './naming.ts';
import { referenceAllowed } from './referencegrant.ts';
import type { BackendObjectReference } from './resources.ts';
import type { StreamRouteNode } from './streamroute.ts';
import type { UpstreamNode } from './types.ts';
import type { Validators } from './validation.ts';

/** Fills `route.backends` and `route.resolvedRefs`; returns the upstreams by key, sorted. */
export function resolveStreamBackends(
  routes: readonly StreamRouteNode[],
  lookup: SnapshotLookup,
  validators: Validators,
): Map<string, UpstreamNode> {
  const upstreams = new Map<string, UpstreamNode>();
  for (const route of routes) {
    const problems: ConditionError[] = [];
    const refs = route.source.spec.rules.flatMap((r) => r.backendRefs);
    route.backends = refs.map((ref) => {
      const resolved = resolveOne(route, ref, lookup, validators);
      if (resolved instanceof ConditionError) problems.push(resolved);
      else if (resolved !== null) upstreams.set(resolved.key, resolved.upstream);
      const upstreamKey =
        resolved instanceof ConditionError || resolved === null ? null : resolved.key;
      return { weight: ref.weight ?? 1, upstreamKey };
    });
    const first = problems[0];
    if (first !== undefined) {
      route.resolvedRefs = {
        ...first.condition,
        message: problems.map((p) => p.message).join('; '),
      };
    }
  }
  return new Map([...upstreams.entries()].sort(([a], [b]) => compareStrings(a, b)));
}

function resolveOne(
  route: StreamRouteNode,
  ref: BackendObjectReference,
  lookup: SnapshotLookup,
  validators: Validators,
): { key: string; upstream: UpstreamNode } | null | ConditionError {
  const routeNamespace = namespaceOf(route.source.metadata);
  const namespace = ref.namespace ?? routeNamespace;
  const where = `${namespace}/${ref.name}`;
  if (!isServiceRef(ref)) {
    const kind = `${ref.group || 'core'}/${ref.kind ?? 'Service'}`;
    return new ConditionError(
      routeInvalidKind(`backendRef ${kind} ${where}: only Services are supported`),
    );
  }
  const from = { group: GATEWAY_GROUP, kind: route.kind, namespace: routeNamespace };
  const to = { group: '', kind: 'Service', name: ref.name };
  if (
    namespace !== routeNamespace &&
    !referenceAllowed(lookup.referenceGrants.get(namespace), from, to)
  ) {
    return new ConditionError(
      routeRefNotPermitted(`backendRef to Service ${where} is not allowed by any ReferenceGrant`),
    );
  }
  const service = lookup.services.get(where);
  if (service === undefined)
    return new ConditionError(routeBackendNotFound(`Service ${where} not found`));
  const servicePort = service.spec.ports?.find((p) => p.port === ref.port);
  if (ref.port === undefined || servicePort === undefined) {
    return new ConditionError(
      routeBackendNotFound(`Service ${where} has no port ${ref.port ?? '(none given)'}`),
    );
  }
  const endpoints = readyEndpoints(lookup.endpointSlices.get(where) ?? [], servicePort, validators);
  if (endpoints.length === 0) return null;
  return {
    key: `${where}:${ref.port}`,
    upstream: {
      name: upstreamName(namespace, ref.name, ref.port),
      service: { namespace, name: ref.name, port: ref.port },
      endpoints,
    },
  };
}
