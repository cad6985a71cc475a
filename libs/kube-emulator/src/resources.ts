/**
 * The verbs on stored objects, free of HTTP: create, update, patch, delete, get, list. Each
 * write computes the next object, admits it, and commits it unless it is a dry run or changes
 * nothing (kube-apiserver hands out no new resourceVersion for a no-op write).
 */
import { admit, type AdmitFn, type FieldValidation } from './admission.ts';
import { applyBuiltInDefaults } from './defaults.ts';
import { apiVersionOf, findKind, KINDS, presentAs, type KindInfo } from './kinds.ts';
import { applyPatchBody } from './patch/index.ts';
import {
  alreadyExists,
  ApiError,
  badRequest,
  conflict,
  invalid,
  namespaceNotFound,
  notFound,
} from './status.ts';
import type { ObjectStore } from './store.ts';
import {
  clone,
  deepEqual,
  isObject,
  metaOf,
  metaString,
  timestamp,
  type JsonObject,
} from './util.ts';

export interface WriteOptions {
  now: Date;
  /** The version the client spoke; admission validates at it. */
  version: string;
  dryRun: boolean;
  fieldValidation: FieldValidation;
  subresource?: 'status';
}

export interface WriteResult {
  object: JsonObject;
  warnings: string[];
}

export interface ResourceDeps {
  store: ObjectStore;
  admit: AdmitFn;
  /** Five characters appended to `generateName`. */
  randomSuffix: () => string;
  uid: () => string;
  allocateIP: () => string;
}

const NAMESPACE = findKind('', 'v1', 'namespaces') as KindInfo;
const PROTECTED_NAMESPACES = ['default', 'kube-system', 'kube-public'];
const SERVER_OWNED = [
  'uid',
  'creationTimestamp',
  'generation',
  'resourceVersion',
  'managedFields',
  'selfLink',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
];

/** Everything but metadata and status: what moves `metadata.generation`. */
function specPart(obj: JsonObject): JsonObject {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return rest;
}

function withoutResourceVersion(obj: JsonObject): JsonObject {
  const { resourceVersion: _rv, ...meta } = metaOf(obj);
  return { ...obj, metadata: meta };
}

export class Resources {
  readonly #deps: ResourceDeps;

  constructor(deps: ResourceDeps) {
    this.#deps = deps;
  }

  get(info: KindInfo, namespace: string, name: string): JsonObject {
    const obj = this.#deps.store.get(info, namespace, name);
    if (!obj) throw notFound(info, name);
    return obj;
  }

  create(info: KindInfo, namespace: string, body: JsonObject, opts: WriteOptions): WriteResult {
    const meta: JsonObject = { ...metaOf(body) };
    if (typeof meta.resourceVersion === 'string' && meta.resourceVersion !== '') {
      throw badRequest('resourceVersion should not be set on objects to be created');
    }
    if (
      info.namespaced &&
      meta.namespace !== undefined &&
      meta.namespace !== '' &&
      meta.namespace !== namespace
    ) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    for (const f of SERVER_OWNED) delete meta[f];
    const name = this.#nameFor(info, meta);
    if (info.namespaced) {
      meta.namespace = namespace;
      if (!this.#deps.store.get(NAMESPACE, '', namespace)) throw namespaceNotFound(namespace);
    } else delete meta.namespace;
    if (this.#deps.store.get(info, namespace, name)) throw alreadyExists(info, name);
    const obj: JsonObject = {
      ...clone(body),
      apiVersion: apiVersionOf(info.group, info.versions[0] ?? 'v1'),
      kind: info.kind,
    };
    if (info.hasStatus) delete obj.status;
    obj.metadata = {
      ...meta,
      name,
      uid: this.#deps.uid(),
      creationTimestamp: timestamp(opts.now),
      generation: 1,
    };
    applyBuiltInDefaults(info, obj, undefined, this.#deps.allocateIP);
    const warnings = admit(this.#deps.admit, info, opts.version, obj, opts.fieldValidation);
    if (opts.dryRun) return { object: obj, warnings };
    return { object: this.#deps.store.write(info, obj), warnings };
  }

  /** PUT: replaces the object (or only its status with `subresource: 'status'`). */
  update(
    info: KindInfo,
    namespace: string,
    name: string,
    body: JsonObject,
    opts: WriteOptions,
  ): WriteResult {
    const old = this.get(info, namespace, name);
    const bodyName = metaString(body, 'name');
    if (bodyName !== '' && bodyName !== name) {
      throw badRequest(
        `the name of the object (${bodyName}) does not match the name on the URL (${name})`,
      );
    }
    return this.#commit(info, old, body, opts);
  }

  /** PATCH with any supported patch type, on the main resource or the status subresource. */
  patch(
    info: KindInfo,
    namespace: string,
    name: string,
    contentType: string,
    body: string,
    opts: WriteOptions,
  ): WriteResult {
    const old = this.get(info, namespace, name);
    const patched = applyPatchBody(contentType, presentAs(info, old, opts.version), body, info);
    return this.#commit(info, old, patched, opts);
  }

  delete(
    info: KindInfo,
    namespace: string,
    name: string,
    opts: { dryRun: boolean; preconditions?: JsonObject },
  ): JsonObject {
    const old = this.get(info, namespace, name);
    const pre = opts.preconditions ?? {};
    if (
      (typeof pre.uid === 'string' && pre.uid !== metaString(old, 'uid')) ||
      (typeof pre.resourceVersion === 'string' &&
        pre.resourceVersion !== metaString(old, 'resourceVersion'))
    ) {
      throw conflict(info, name);
    }
    if (info === NAMESPACE && PROTECTED_NAMESPACES.includes(name)) {
      throw new ApiError(
        403,
        'Forbidden',
        `namespaces "${name}" is forbidden: this namespace may not be deleted`,
        { name, kind: 'namespaces' },
      );
    }
    if (opts.dryRun) return old;
    if (info === NAMESPACE) this.#emptyNamespace(name);
    const gone = this.#deps.store.remove(info, namespace, name) ?? old;
    this.#collectDependents(metaString(old, 'uid'), info.namespaced ? namespace : undefined);
    return gone;
  }

  /**
   * The garbage collector, done at once: objects whose `ownerReferences` name a deleted owner
   * go with it (background propagation, transitively). A namespaced owner can only own objects
   * of its namespace; a cluster-scoped one, objects anywhere. `propagationPolicy: Orphan` is
   * not modelled.
   */
  #collectDependents(ownerUid: string, namespace: string | undefined): void {
    if (ownerUid === '') return;
    for (const kind of KINDS) {
      for (const obj of this.#deps.store.list(kind, kind.namespaced ? namespace : undefined)) {
        const owners = metaOf(obj).ownerReferences;
        if (!Array.isArray(owners) || !owners.some((o) => isObject(o) && o.uid === ownerUid))
          continue;
        const ns = metaString(obj, 'namespace');
        this.#deps.store.remove(kind, ns, metaString(obj, 'name'));
        this.#collectDependents(metaString(obj, 'uid'), kind.namespaced ? ns : undefined);
      }
    }
  }

  #emptyNamespace(namespace: string): void {
    for (const kind of KINDS.filter((k) => k.namespaced)) {
      for (const obj of this.#deps.store.list(kind, namespace)) {
        this.#deps.store.remove(kind, namespace, metaString(obj, 'name'));
      }
    }
  }

  #nameFor(info: KindInfo, meta: JsonObject): string {
    if (typeof meta.name === 'string' && meta.name !== '') return meta.name;
    if (typeof meta.generateName === 'string' && meta.generateName !== '') {
      return `${meta.generateName}${this.#deps.randomSuffix()}`;
    }
    throw invalid(info, '', [
      {
        reason: 'FieldValueRequired',
        field: 'metadata.name',
        message: 'Required value: name or generateName is required',
      },
    ]);
  }

  /** Computes, admits and stores the next state of an existing object. */
  #commit(info: KindInfo, old: JsonObject, candidate: JsonObject, opts: WriteOptions): WriteResult {
    const wanted = metaOf(candidate).resourceVersion;
    if (
      typeof wanted === 'string' &&
      wanted !== '' &&
      wanted !== metaString(old, 'resourceVersion')
    ) {
      throw conflict(info, metaString(old, 'name'));
    }
    const next = this.#scope(info, old, clone(candidate), opts.subresource);
    applyBuiltInDefaults(info, next, old, this.#deps.allocateIP);
    const warnings = admit(this.#deps.admit, info, opts.version, next, opts.fieldValidation, old);
    const generation = Number(metaOf(old).generation ?? 1);
    const moved = !deepEqual(specPart(old), specPart(next));
    next.metadata = { ...metaOf(next), generation: moved ? generation + 1 : generation };
    if (deepEqual(withoutResourceVersion(old), withoutResourceVersion(next)) || opts.dryRun) {
      return { object: opts.dryRun ? next : old, warnings };
    }
    return { object: this.#deps.store.write(info, next), warnings };
  }

  /** The status subresource changes only status; the main resource never does (if it has one). */
  #scope(
    info: KindInfo,
    old: JsonObject,
    next: JsonObject,
    subresource: 'status' | undefined,
  ): JsonObject {
    const keep = (target: JsonObject, from: JsonObject, field: string): void => {
      if (from[field] === undefined) delete target[field];
      else target[field] = clone(from[field]);
    };
    let scoped: JsonObject;
    if (subresource === 'status') {
      scoped = clone(old);
      keep(scoped, next, 'status');
    } else {
      scoped = next;
      if (info.hasStatus) keep(scoped, old, 'status');
      const meta: JsonObject = isObject(scoped.metadata) ? { ...scoped.metadata } : {};
      for (const f of SERVER_OWNED) delete meta[f];
      const oldMeta = metaOf(old);
      scoped.metadata = {
        ...meta,
        name: oldMeta.name,
        ...(info.namespaced ? { namespace: oldMeta.namespace } : {}),
        uid: oldMeta.uid,
        creationTimestamp: oldMeta.creationTimestamp,
        generation: oldMeta.generation,
        resourceVersion: oldMeta.resourceVersion,
      };
    }
    scoped.apiVersion = old.apiVersion;
    scoped.kind = info.kind;
    return scoped;
  }
}
