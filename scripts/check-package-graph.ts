/**
 * Enforces the layering rules of docs/architecture.md on the workspace package graph, which
 * eslint cannot see as a whole: libs never depend on services, services never depend on each
 * other, and package dependencies have no cycles. Run by `npm run lint`.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

interface WorkspacePackage {
  name: string;
  layer: 'libs' | 'services';
  deps: string[];
}

const root = new URL('..', import.meta.url).pathname;

function readWorkspace(layer: 'libs' | 'services'): WorkspacePackage[] {
  const dir = join(root, layer);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((entry) => join(dir, entry, 'package.json'))
    .filter((file) => existsSync(file))
    .map((file) => {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as {
        name: string;
        dependencies?: Record<string, string>;
        devDependencies?: Record<string, string>;
      };
      const deps = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });
      return { name: pkg.name, layer, deps };
    });
}

const packages = [...readWorkspace('libs'), ...readWorkspace('services')];
const byName = new Map(packages.map((p) => [p.name, p]));
const problems: string[] = [];

for (const pkg of packages) {
  for (const dep of pkg.deps) {
    const target = byName.get(dep);
    if (target?.layer !== 'services') continue;
    problems.push(
      pkg.layer === 'libs'
        ? `${pkg.name} (a lib) depends on ${dep} (a service): libs never import services`
        : `${pkg.name} depends on ${dep}: services never import each other`,
    );
  }
}

function findCycle(start: string, path: string[], seen: Set<string>): string[] | undefined {
  for (const dep of byName.get(start)?.deps ?? []) {
    if (!byName.has(dep)) continue;
    if (path.includes(dep)) return [...path.slice(path.indexOf(dep)), dep];
    if (seen.has(dep)) continue;
    seen.add(dep);
    const cycle = findCycle(dep, [...path, dep], seen);
    if (cycle) return cycle;
  }
  return undefined;
}

for (const pkg of packages) {
  const cycle = findCycle(pkg.name, [pkg.name], new Set());
  if (cycle) problems.push(`dependency cycle: ${cycle.join(' -> ')}`);
}

if (problems.length > 0) {
  for (const problem of problems) console.error(`package graph: ${problem}`);
  process.exit(1);
}
console.log(`package graph: ${packages.length} packages, layering and acyclicity hold`);
