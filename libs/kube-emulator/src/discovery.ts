/**
 * Discovery documents in their plain (non-aggregated) form: `/version`, `/api`, `/api/v1`,
 * `/apis`, `/apis/<group>`, `/apis/<group>/<version>`. kubectl asks for the aggregated form
 * first but lists plain JSON as a fallback, so these answers are enough. Pure.
 */
import { apiVersionOf, KINDS, servedGroups } from './kinds.ts';
import type { JsonObject } from './util.ts';

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** `/version`: a 1.32 server, labelled as the emulator. */
export function versionInfo(): JsonObject {
  return {
    major: '1',
    minor: '32',
    gitVersion: 'v1.32.0-portico-emulator',
    gitCommit: 'portico-emulator',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'n/a (Portico Kubernetes API emulator, a development tool)',
    compiler: 'node',
    platform: 'linux/amd64',
  };
}

/** `/api`. */
export function apiVersions(serverAddress: string): JsonObject {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupEntry(name: string, versions: readonly string[]): JsonObject {
  const entries = versions.map((v) => ({ groupVersion: apiVersionOf(name, v), version: v }));
  return { name, versions: entries, preferredVersion: entries[0] };
}

/** `/apis`. */
export function apiGroupList(): JsonObject {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: servedGroups().map((g) => groupEntry(g.name, g.versions)),
  };
}

/** `/apis/<group>`, or `undefined` for a group not served. */
export function apiGroup(name: string): JsonObject | undefined {
  const group = servedGroups().find((g) => g.name === name);
  return group
    ? { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(group.name, group.versions) }
    : undefined;
}

/** `/api/v1` or `/apis/<group>/<version>`, or `undefined` when nothing is served there. */
export function apiResourceList(group: string, version: string): JsonObject | undefined {
  const kinds = KINDS.filter((k) => k.group === group && k.versions.includes(version));
  if (kinds.length === 0) return undefined;
  const resources = kinds.flatMap((k) => [
    {
      name: k.plural,
      singularName: k.singular,
      namespaced: k.namespaced,
      kind: k.kind,
      verbs: VERBS,
      ...(k.shortNames.length > 0 ? { shortNames: k.shortNames } : {}),
      ...(k.categories.length > 0 ? { categories: k.categories } : {}),
    },
    ...(k.hasStatus
      ? [
          {
            name: `${k.plural}/status`,
            singularName: '',
            namespaced: k.namespaced,
            kind: k.kind,
            verbs: ['get', 'patch', 'update'],
          },
        ]
      : []),
  ]);
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf(group, version),
    resources,
  };
}
