/**
 * Golden files at the graph boundary: `golden/<case>/in.yaml` (a snapshot as YAML documents)
 * in, `golden/<case>/out.yaml` (desired conditions, attachment counts, references and IR)
 * out. `UPDATE_GOLDEN=1 npx vitest run` rewrites the outputs; review the diff.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { buildGraph, defaultValidators } from '../src/index.ts';
import { describeGraph } from './describe-graph.ts';
import { loadSnapshot } from './load-snapshot.ts';

const root = join(import.meta.dirname, 'golden');
const cases = readdirSync(root).sort();
const deps = { controllerName: 'portico.dev/gateway-controller', validators: defaultValidators };

describe('graph golden files', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThan(10);
  });

  it.each(cases)('%s', (name) => {
    const snapshot = loadSnapshot(readFileSync(join(root, name, 'in.yaml'), 'utf8'));
    const actual = stringify(describeGraph(buildGraph(snapshot, deps)), {
      aliasDuplicateObjects: false,
    });
    const outFile = join(root, name, 'out.yaml');
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(outFile, actual);
    expect(actual).toBe(readFileSync(outFile, 'utf8'));
  });

  it('is deterministic whatever the input order', () => {
    for (const name of cases) {
      const snapshot = loadSnapshot(readFileSync(join(root, name, 'in.yaml'), 'utf8'));
      const reversed = Object.fromEntries(
        Object.entries(snapshot).map(([k, v]: [string, unknown[]]) => [k, [...v].reverse()]),
      ) as unknown as typeof snapshot;
      expect(describeGraph(buildGraph(reversed, deps))).toEqual(
        describeGraph(buildGraph(snapshot, deps)),
      );
    }
  });
});
