/**
 * `Status` objects and the error that carries one. Every failure the emulator answers is a
 * `Status` shaped like kube-apiserver's, so clients parse `reason` and `code` as they would there.
 */
import type { KindInfo } from './kinds.ts';

export interface StatusCause {
  reason?: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** An error answered as a `Status`; thrown anywhere below the router. */
export class ApiError extends Error {
  readonly status: Status;
  constructor(code: number, reason: string, message: string, details?: StatusDetails) {
    super(message);
    this.status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      ...(details ? { details } : {}),
      code,
    };
  }
  get code(): number {
    return this.status.code;
  }
}

/** `gateways.gateway.networking.k8s.io`, or `services` for the core group. */
export function qualifiedResource(info: KindInfo): string {
  return info.group === '' ? info.plural : `${info.plural}.${info.group}`;
}

export const notFound = (info: KindInfo, name: string): ApiError =>
  new ApiError(404, 'NotFound', `${qualifiedResource(info)} "${name}" not found`, {
    name,
    group: info.group,
    kind: info.plural,
  });

export const namespaceNotFound = (namespace: string): ApiError =>
  new ApiError(404, 'NotFound', `namespaces "${namespace}" not found`, {
    name: namespace,
    kind: 'namespaces',
  });

export const alreadyExists = (info: KindInfo, name: string): ApiError =>
  new ApiError(409, 'AlreadyExists', `${qualifiedResource(info)} "${name}" already exists`, {
    name,
    group: info.group,
    kind: info.plural,
  });

export const conflict = (info: KindInfo, name: string): ApiError =>
  new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(info)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group: info.group, kind: info.plural },
  );

export const badRequest = (message: string): ApiError => new ApiError(400, 'BadRequest', message);

export const gone = (message: string): ApiError => new ApiError(410, 'Expired', message);

export const methodNotAllowed = (message: string): ApiError =>
  new ApiError(405, 'MethodNotAllowed', message);

export const unsupportedMediaType = (contentType: string): ApiError =>
  new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json` +
      (contentType ? `; got ${contentType}` : ''),
  );

/** `422 Invalid` in kube-apiserver's wording: `Kind.group "name" is invalid: field: message`. */
export function invalid(info: KindInfo, name: string, causes: StatusCause[]): ApiError {
  const parts = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
  const joined = parts.length === 1 ? (parts[0] ?? '') : `[${parts.join(', ')}]`;
  const qualified = info.group === '' ? info.kind : `${info.kind}.${info.group}`;
  return new ApiError(422, 'Invalid', `${qualified} "${name}" is invalid: ${joined}`, {
    name,
    group: info.group,
    kind: info.kind,
    causes,
  });
}

/** The reason kube-apiserver gives a status code, for injected failures. */
export function reasonFor(code: number): string {
  const reasons: Record<number, string> = {
    400: 'BadRequest',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'NotFound',
    409: 'Conflict',
    410: 'Expired',
    422: 'Invalid',
    429: 'TooManyRequests',
    500: 'InternalError',
    503: 'ServiceUnavailable',
    504: 'Timeout',
  };
  return reasons[code] ?? 'Unknown';
}

/** The `Status` answered for a successful delete. */
export function deleted(info: KindInfo, name: string, uid: string): Record<string, unknown> {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { name, group: info.group, kind: info.plural, uid },
  };
}
