/**
 * Golden files for TCPRoute, UDPRoute and TLSRoute: `golden-stream/<case>/in.yaml` in,
 * listener counts, route parent conditions and each Gateway's stream IR out.
 * `UPDATE_GOLDEN=1 npx vitest run` rewrites the outputs; review the diff.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { Snapshot } from '../src/index.ts';
import {
  buildGraph,
  buildStreamGraph,
  buildStreamIR,
  defaultValidators,
  routeParentConditions,
  statusParentRef,
} from '../src/index.ts';
import { loadSnapshot } from './load-snapshot.ts';

const root = join(import.meta.dirname, 'golden-stream');
const cases = readdirSync(root).sort();
const deps = { controllerName: 'portico.dev/gateway-controller', validators: defaultValidators };

function describeStream(snapshot: Snapshot): unknown {
  const graph = buildGraph(snapshot, deps);
  const stream = buildStreamGraph(snapshot, graph, deps);
  return {
    listeners: [...graph.gateways.values()].flatMap((g) =>
      g.listeners.map((l) => ({
        gateway: g.key,
        name: l.name,
        attachedRoutes: l.attachedRoutes,
        accepted: l.conditions.find((c) => c.type === 'Accepted'),
      })),
    ),
    routes: stream.routes.map((r) => ({
      kind: r.kind,
      key: r.key,
      parents: r.parents.map((p) => ({
        parentRef: statusParentRef(p),
        // The HTTPRoute helper reads the same fields a stream route carries.
        conditions: routeParentConditions(
          r as unknown as Parameters<typeof routeParentConditions>[0],
          p,
        ),
      })),
    })),
    ir: Object.fromEntries(
      [...graph.gateways.keys()].map((k) => [k, buildStreamIR(graph, stream, k)]),
    ),
  };
}

function load(name: string): Snapshot {
  return loadSnapshot(readFileSync(join(root, name, 'in.yaml'), 'utf8'));
}

describe('stream route golden files', () => {
  it.each(cases)('%s', (name) => {
    const actual = stringify(describeStream(load(name)), { aliasDuplicateObjects: false });
    const outFile = join(root, name, 'out.yaml');
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(outFile, actual);
    expect(actual).toBe(readFileSync(outFile, 'utf8'));
  });

  it.each(cases)('%s is the same whatever the input order', (name) => {
    const snapshot = load(name);
    const reversed = Object.fromEntries(
      Object.entries(snapshot).map(([k, v]: [string, unknown[]]) => [k, [...v].reverse()]),
    ) as unknown as Snapshot;
    expect(describeStream(reversed)).toEqual(describeStream(snapshot));
  });
});
