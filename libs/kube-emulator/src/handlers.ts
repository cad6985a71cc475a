/**
 * The resource endpoints over HTTP: decode the request, call `Resources`/`listPage`/`WatchHub`,
 * encode the answer at the requested version (or as a `Table` when the client asks for one).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiVersionOf, presentAs } from './kinds.ts';
import type { Faults } from './faults.ts';
import {
  boolParam,
  decodeObject,
  dryRunOf,
  fieldValidationOf,
  intParam,
  readBodyBytes,
  sendJson,
} from './http.ts';
import { listPage } from './listing.ts';
import type { Resources, WriteOptions } from './resources.ts';
import type { ResourceRoute } from './router.ts';
import {
  parseFieldSelector,
  parseLabelSelector,
  SelectorError,
  type Requirement,
} from './selectors.ts';
import { ApiError, badRequest, deleted, methodNotAllowed } from './status.ts';
import type { ObjectStore } from './store.ts';
import { buildTable, tableVersionFromAccept, type IncludeObject } from './table.ts';
import { isObject, metaString, type JsonObject } from './util.ts';
import type { WatchHub } from './watch-hub.ts';

export interface HandlerDeps {
  store: ObjectStore;
  resources: Resources;
  hub: WatchHub;
  faults: Faults;
  now: () => Date;
}

interface Request {
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
  route: ResourceRoute;
}

export const resourceNotFound = (): ApiError =>
  new ApiError(404, 'NotFound', 'the server could not find the requested resource');

function selectors(query: URLSearchParams): { labels: Requirement[]; fields: Requirement[] } {
  try {
    return {
      labels: parseLabelSelector(query.get('labelSelector') ?? ''),
      fields: parseFieldSelector(query.get('fieldSelector') ?? ''),
    };
  } catch (err) {
    if (err instanceof SelectorError) throw badRequest(err.message);
    throw err;
  }
}

function includeObjectOf(query: URLSearchParams): IncludeObject {
  const v = query.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

function tableOf(r: Request): { apiVersion: string; includeObject: IncludeObject } | undefined {
  const apiVersion = tableVersionFromAccept(r.req.headers.accept);
  return apiVersion ? { apiVersion, includeObject: includeObjectOf(r.query) } : undefined;
}

function writeOptions(deps: HandlerDeps, r: Request): WriteOptions {
  return {
    now: deps.now(),
    version: r.route.version,
    dryRun: dryRunOf(r.query),
    fieldValidation: fieldValidationOf(r.query),
    ...(r.route.subresource ? { subresource: r.route.subresource } : {}),
  };
}

type Page = { resourceVersion: string; continueToken?: string; remainingItemCount?: number };

function sendObjects(
  deps: HandlerDeps,
  r: Request,
  objects: JsonObject[],
  page: Page,
  table = tableOf(r),
): void {
  const { info, version } = r.route;
  const versioned = objects.map((o) => presentAs(info, o, version));
  if (table) {
    const options = {
      now: deps.now(),
      ...table,
      resourceVersion: page.resourceVersion,
      ...(page.continueToken ? { continueToken: page.continueToken } : {}),
    };
    sendJson(r.res, 200, buildTable(info, versioned, options));
    return;
  }
  sendJson(r.res, 200, {
    kind: `${info.kind}List`,
    apiVersion: apiVersionOf(info.group, version),
    metadata: {
      resourceVersion: page.resourceVersion,
      ...(page.continueToken
        ? { continue: page.continueToken, remainingItemCount: page.remainingItemCount }
        : {}),
    },
    items: versioned,
  });
}

function watch(deps: HandlerDeps, r: Request): void {
  const { info, version, namespace } = r.route;
  const table = tableOf(r);
  const timeoutSeconds = intParam(r.query, 'timeoutSeconds');
  const spec = {
    filter: { info, ...(namespace !== undefined ? { namespace } : {}), ...selectors(r.query) },
    version,
    resourceVersion: r.query.get('resourceVersion') ?? undefined,
    allowBookmarks: boolParam(r.query, 'allowWatchBookmarks'),
    ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
    ...(table ? { table } : {}),
  };
  const rv = spec.resourceVersion;
  if (rv !== undefined && rv !== '' && !/^\d+$/.test(rv))
    throw badRequest(`invalid resource version "${rv}"`);
  r.res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  r.res.flushHeaders();
  deps.hub.open(
    spec,
    {
      send: (chunk) => void r.res.write(chunk),
      end: () => r.res.end(),
      destroy: () => r.res.destroy(),
      onClose: (listener) => void r.res.on('close', listener),
    },
    deps.faults.takeGone(info),
  );
}

async function write(
  deps: HandlerDeps,
  r: Request,
  method: string,
  namespace: string,
): Promise<void> {
  const { info, name } = r.route;
  const failure = deps.faults.takeWriteFailure(info, r.route.subresource);
  if (failure) throw failure;
  const bytes = await readBodyBytes(r.req);
  const body = bytes.toString('utf8');
  const contentType = r.req.headers['content-type'];
  if (method === 'POST' && name === undefined && !r.route.subresource) {
    const result = deps.resources.create(
      info,
      namespace,
      decodeObject(bytes, contentType),
      writeOptions(deps, r),
    );
    sendJson(r.res, 201, presentAs(info, result.object, r.route.version), result.warnings);
    return;
  }
  if (name === undefined) throw methodNotAllowed(`${method} is not supported on a list`);
  if (method === 'PUT' || method === 'PATCH') {
    const opts = writeOptions(deps, r);
    const result =
      method === 'PUT'
        ? deps.resources.update(info, namespace, name, decodeObject(bytes, contentType), opts)
        : deps.resources.patch(info, namespace, name, contentType ?? '', body, opts);
    sendJson(r.res, 200, presentAs(info, result.object, r.route.version), result.warnings);
    return;
  }
  if (method === 'DELETE' && !r.route.subresource) {
    const options = body.trim() === '' ? {} : decodeObject(body, contentType);
    const dryRun =
      dryRunOf(r.query) || (Array.isArray(options.dryRun) && options.dryRun.includes('All'));
    const preconditions = isObject(options.preconditions) ? options.preconditions : undefined;
    const gone = deps.resources.delete(info, namespace, name, {
      dryRun,
      ...(preconditions ? { preconditions } : {}),
    });
    sendJson(r.res, 200, deleted(info, name, metaString(gone, 'uid')));
    return;
  }
  throw methodNotAllowed(`${method} is not supported here`);
}

function deleteCollection(deps: HandlerDeps, r: Request, namespace: string | undefined): void {
  const { info } = r.route;
  const dryRun = dryRunOf(r.query);
  const page = listPage(deps.store, info, {
    ...(namespace !== undefined ? { namespace } : {}),
    ...selectors(r.query),
  });
  const removed = page.items.map((o) =>
    deps.resources.delete(info, metaString(o, 'namespace'), metaString(o, 'name'), { dryRun }),
  );
  sendObjects(deps, r, removed, { resourceVersion: String(deps.store.resourceVersion) }, undefined);
}

/** Serves one request on a resource path. */
export async function handleResource(
  deps: HandlerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
  route: ResourceRoute,
): Promise<void> {
  const r: Request = { req, res, query, route };
  const method = req.method ?? 'GET';
  const { info, name } = route;
  const scoped = info.namespaced ? route.namespace : '';
  if (scoped === undefined && (name !== undefined || (method !== 'GET' && method !== 'DELETE')))
    throw resourceNotFound();
  if (method === 'GET') {
    if (name !== undefined) {
      const obj = deps.resources.get(info, scoped ?? '', name);
      if (tableOf(r))
        sendObjects(deps, r, [obj], { resourceVersion: metaString(obj, 'resourceVersion') });
      else sendJson(res, 200, presentAs(info, obj, route.version));
      return;
    }
    if (boolParam(query, 'watch')) return watch(deps, r);
    const limit = intParam(query, 'limit');
    const token = query.get('continue');
    const page = listPage(deps.store, info, {
      ...(route.namespace !== undefined ? { namespace: route.namespace } : {}),
      ...selectors(query),
      ...(limit !== undefined ? { limit } : {}),
      ...(token ? { continueToken: token } : {}),
    });
    sendObjects(deps, r, page.items, page);
    return;
  }
  if (method === 'DELETE' && name === undefined) return deleteCollection(deps, r, route.namespace);
  await write(deps, r, method, scoped ?? '');
}
