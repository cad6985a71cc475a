/**
 * OpenAPI v3 documents, only as detailed as kubectl needs: for each kind, a `patch` operation on
 * the object's path carrying `x-kubernetes-group-version-kind`, `x-kubernetes-action: patch` and
 * a `fieldValidation` query parameter. Seeing that, `kubectl apply` leaves validation to the
 * server (`?fieldValidation=Strict`). The operations list no strategic-merge-patch body, so
 * kubectl computes strategic patches for built-in kinds from its compiled-in types and JSON
 * merge patches for Gateway API kinds, as it does against a real cluster. Pure.
 */
import { createHash } from 'node:crypto';
import { KINDS, type KindInfo } from './kinds.ts';
import type { JsonObject } from './util.ts';

function gvPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

function schemaName(info: KindInfo, version: string): string {
  const group = info.group === '' ? 'core' : info.group.split('.').reverse().join('.');
  return `${group}.${version}.${info.kind}`;
}

function objectPath(info: KindInfo, version: string): string {
  const ns = info.namespaced ? '/namespaces/{namespace}' : '';
  return `/${gvPath(info.group, version)}${ns}/${info.plural}/{name}`;
}

const queryParam = (name: string): JsonObject => ({
  name,
  in: 'query',
  schema: { type: 'string', uniqueItems: true },
});
const pathParam = (name: string): JsonObject => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string', uniqueItems: true },
});

function patchOperation(info: KindInfo, version: string): JsonObject {
  const ref = { $ref: `#/components/schemas/${schemaName(info, version)}` };
  return {
    operationId: `patch${info.namespaced ? 'Namespaced' : ''}${info.kind}`,
    'x-kubernetes-action': 'patch',
    'x-kubernetes-group-version-kind': { group: info.group, version, kind: info.kind },
    parameters: [
      queryParam('dryRun'),
      queryParam('fieldManager'),
      queryParam('fieldValidation'),
      queryParam('force'),
    ],
    requestBody: {
      content: {
        'application/json-patch+json': { schema: { type: 'object' } },
        'application/merge-patch+json': { schema: { type: 'object' } },
      },
      required: true,
    },
    responses: { '200': { description: 'OK', content: { 'application/json': { schema: ref } } } },
  };
}

function kindSchema(info: KindInfo, version: string): JsonObject {
  return {
    type: 'object',
    description: `${info.kind} (served by the Portico Kubernetes API emulator; the schema is not published here)`,
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
    },
    'x-kubernetes-preserve-unknown-fields': true,
    'x-kubernetes-group-version-kind': [{ group: info.group, version, kind: info.kind }],
  };
}

/** The document of one group-version, or `undefined` when nothing is served there. */
export function openapiDocument(group: string, version: string): JsonObject | undefined {
  const kinds = KINDS.filter((k) => k.group === group && k.versions.includes(version));
  if (kinds.length === 0) return undefined;
  const paths: JsonObject = {};
  const schemas: JsonObject = {};
  for (const info of kinds) {
    const params = [...(info.namespaced ? [pathParam('namespace')] : []), pathParam('name')];
    paths[objectPath(info, version)] = { parameters: params, patch: patchOperation(info, version) };
    schemas[schemaName(info, version)] = kindSchema(info, version);
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes (Portico API emulator)', version: 'v1.32.0' },
    paths,
    components: { schemas },
  };
}

/** `/openapi/v3`: every served group-version with the URL (and content hash) of its document. */
export function openapiIndex(): JsonObject {
  const gvs = new Map<string, [string, string]>();
  for (const k of KINDS) for (const v of k.versions) gvs.set(gvPath(k.group, v), [k.group, v]);
  const paths: JsonObject = {};
  for (const [path, [group, version]] of [...gvs].sort(([a], [b]) => a.localeCompare(b))) {
    const hash = createHash('sha256')
      .update(JSON.stringify(openapiDocument(group, version)))
      .digest('hex')
      .toUpperCase();
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hash}` };
  }
  return { paths };
}

/** Parses `/openapi/v3/api/v1` or `/openapi/v3/apis/<g>/<v>` into group and version. */
export function openapiTarget(path: string): { group: string; version: string } | undefined {
  const core = /^\/openapi\/v3\/api\/([^/]+)$/.exec(path);
  if (core?.[1]) return { group: '', version: core[1] };
  const named = /^\/openapi\/v3\/apis\/([^/]+)\/([^/]+)$/.exec(path);
  if (named?.[1] && named[2]) return { group: named[1], version: named[2] };
  return undefined;
}
