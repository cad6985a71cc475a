/**
 * Maps a URL path to what it addresses, the way kube-apiserver lays out its paths:
 * `/api/v1/...`, `/apis/<group>/<version>/...`, `[namespaces/<ns>/]<plural>[/<name>[/status]]`,
 * plus discovery, OpenAPI, health and the emulator's own `/__emulator/faults`. Pure.
 */
import { findKind, type KindInfo } from './kinds.ts';
import { openapiTarget } from './openapi.ts';

export interface ResourceRoute {
  type: 'resource';
  info: KindInfo;
  version: string;
  /** Set for a namespaced path; absent for cluster-scoped kinds and cluster-wide lists. */
  namespace?: string;
  name?: string;
  subresource?: 'status';
}

export type Route =
  | { type: 'version' | 'api' | 'apis' | 'openapiIndex' | 'faults' | 'health' | 'notFound' }
  | { type: 'group'; group: string }
  | { type: 'resourceList' | 'openapiDocument'; group: string; version: string }
  | ResourceRoute;

const NOT_FOUND = { type: 'notFound' } as const;

function resourceRoute(group: string, version: string, rest: string[]): Route {
  if (rest.length === 0) return { type: 'resourceList', group, version };
  let namespace: string | undefined;
  let tail = rest;
  // `/api/v1/namespaces/<name>/status` is the Namespace's own status, not a namespaced list.
  const namespaceStatus = group === '' && rest.length === 3 && rest[2] === 'status';
  if (rest[0] === 'namespaces' && rest.length >= 3 && !namespaceStatus) {
    namespace = rest[1];
    tail = rest.slice(2);
  }
  const [plural = '', name, subresource, ...extra] = tail;
  const info = findKind(group, version, plural);
  if (!info || extra.length > 0 || (namespace !== undefined && !info.namespaced)) return NOT_FOUND;
  if (subresource !== undefined && (subresource !== 'status' || !info.hasStatus)) return NOT_FOUND;
  return {
    type: 'resource',
    info,
    version,
    ...(namespace !== undefined ? { namespace } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(subresource === 'status' ? { subresource } : {}),
  };
}

/** The route of a URL path (without the query). */
export function parseRoute(pathname: string): Route {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  switch (path) {
    case '/version':
      return { type: 'version' };
    case '/api':
      return { type: 'api' };
    case '/apis':
      return { type: 'apis' };
    case '/openapi/v3':
      return { type: 'openapiIndex' };
    case '/__emulator/faults':
      return { type: 'faults' };
    case '/healthz':
    case '/livez':
    case '/readyz':
      return { type: 'health' };
  }
  const openapi = openapiTarget(path);
  if (openapi) return { type: 'openapiDocument', ...openapi };
  let segments: string[];
  try {
    segments = path.split('/').slice(1).map(decodeURIComponent);
  } catch {
    return NOT_FOUND;
  }
  if (segments[0] === 'api' && segments[1])
    return resourceRoute('', segments[1], segments.slice(2));
  if (segments[0] === 'apis' && segments[1]) {
    if (!segments[2]) return { type: 'group', group: segments[1] };
    return resourceRoute(segments[1], segments[2], segments.slice(3));
  }
  return NOT_FOUND;
}
