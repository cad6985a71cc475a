/**
 * What `npm ci --omit=dev` in the images relies on: every package a service imports at run time
 * (following workspace packages transitively) is declared in the `dependencies` of the package
 * that imports it. A dependency that is only hoisted from another package's devDependencies works
 * in the checkout and is missing in the image.
 */
import { readdir, readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { REPO_ROOT } from '@portico/local-stack';

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  workspaces?: string[];
}

async function readManifest(dir: string): Promise<Manifest> {
  return JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as Manifest;
}

/** Workspace package name -> its directory. */
async function workspaces(): Promise<Map<string, string>> {
  const root = await readManifest(REPO_ROOT);
  const byName = new Map<string, string>();
  for (const pattern of root.workspaces ?? []) {
    const dirs = pattern.endsWith('/*')
      ? (await readdir(join(REPO_ROOT, pattern.slice(0, -2)), { withFileTypes: true }))
          .filter((e) => e.isDirectory())
          .map((e) => join(REPO_ROOT, pattern.slice(0, -2), e.name))
      : [join(REPO_ROOT, pattern)];
    for (const dir of dirs) {
      const manifest = await readManifest(dir).catch(() => undefined);
      if (manifest) byName.set(manifest.name, dir);
    }
  }
  return byName;
}

const IMPORT =
  /^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

/** Bare module specifiers loaded at run time (type-only imports are erased by Node). */
export function runtimeImports(source: string): string[] {
  return [...source.matchAll(IMPORT)]
    .map((m) => m[1] ?? m[2] ?? '')
    .filter((spec) => spec !== '' && !spec.startsWith('.') && !spec.startsWith('node:'))
    .filter((spec) => !builtinModules.includes(spec));
}

/** `@scope/name/sub` -> `@scope/name`; `name/sub` -> `name`. */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(join(dir, 'src'), { recursive: true });
  return entries
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => join(dir, 'src', f));
}

/** Undeclared run-time imports reachable from the given workspace packages. */
export async function undeclaredRuntimeImports(
  entryPackages: readonly string[],
): Promise<string[]> {
  const byName = await workspaces();
  const seen = new Set<string>();
  const problems = new Set<string>();
  const queue = [...entryPackages];
  while (queue.length > 0) {
    const name = queue.shift() ?? '';
    if (seen.has(name)) continue;
    seen.add(name);
    const dir = byName.get(name);
    if (!dir) throw new Error(`${name} is not a workspace package`);
    const declared = (await readManifest(dir)).dependencies ?? {};
    for (const file of await sourceFiles(dir)) {
      for (const dependency of runtimeImports(await readFile(file, 'utf8')).map(packageName)) {
        if (!(dependency in declared))
          problems.add(`${name} imports ${dependency} without declaring it`);
        if (byName.has(dependency)) queue.push(dependency);
      }
    }
  }
  return [...problems].sort();
}
