/** Short forms for the expectations the scenarios list, in the upstream tests' terms. */
import type { Expected, RequestSpec } from '../http-compare.ts';
import type { Ref } from '../builders.ts';

/** A request that must be answered 200 by a pod of `backend` in `namespace`. */
export function reaches(
  request: RequestSpec | string,
  backend: string,
  namespace: string,
  extra: Partial<Expected> = {},
): Expected {
  const req = typeof request === 'string' ? { path: request } : request;
  return { request: req, backend, namespace, ...extra };
}

/** A request that must get `code` (no backend checks, as upstream for non-200 codes). */
export function answers(
  request: RequestSpec | string,
  code: number,
  extra: Partial<Expected> = {},
): Expected {
  const req = typeof request === 'string' ? { path: request } : request;
  return { request: req, status: [code], ...extra };
}

/** `{path, host}` */
export const at = (host: string, path: string): RequestSpec => ({ host, path });

/** Condition shorthands. */
export const cond = (
  type: string,
  status: 'True' | 'False' | '',
  reason = '',
): {
  type: string;
  status: string;
  reason: string;
} => ({ type, status, reason });

/** A listener status expectation (HTTPRoute as supported kind unless `kinds` says otherwise). */
export function listenerStatus(
  name: string,
  attachedRoutes: number,
  conditions: Array<{ type: string; status: string; reason: string }>,
  kinds: string[] = ['HTTPRoute'],
): {
  name: string;
  attachedRoutes: number;
  supportedKinds: Array<{ kind: string }>;
  conditions: typeof conditions;
} {
  return { name, attachedRoutes, supportedKinds: kinds.map((kind) => ({ kind })), conditions };
}

export type { Ref };
