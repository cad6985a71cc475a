/** Runs the real `kubectl` against a harness's kubeconfig, with its own cache dir. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Harness } from './helpers.ts';

const run = promisify(execFile);

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

function baseArgs(h: Harness): string[] {
  return ['--kubeconfig', h.kubeconfigPath, '--cache-dir', join(h.dir, 'cache')];
}

/** Runs kubectl to completion; never throws on a non-zero exit (the result carries it). */
export async function kubectl(h: Harness, ...args: string[]): Promise<KubectlResult> {
  try {
    const { stdout, stderr } = await run('kubectl', [...baseArgs(h), ...args], {
      timeout: 30_000,
      env: { ...process.env, HOME: h.dir },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof e.code === 'number' ? e.code : -1,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? '',
    };
  }
}

/** Starts a long-running kubectl (e.g. `get -w`) and collects its output. */
export function kubectlBackground(
  h: Harness,
  ...args: string[]
): { child: ChildProcess; output: () => string } {
  const child = spawn('kubectl', [...baseArgs(h), ...args], {
    env: { ...process.env, HOME: h.dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out };
}

/** Writes a manifest into the harness dir and returns its path. */
export async function manifest(h: Harness, name: string, yaml: string): Promise<string> {
  const path = join(h.dir, name);
  await writeFile(path, yaml);
  return path;
}
