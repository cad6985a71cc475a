/** The CLI (`npm run dev:apiserver`): listens, writes a kubeconfig, stops cleanly on signals. */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { waitUntil } from './helpers.ts';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

describe('cli', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('serves kubectl and exits 0 on %s', async (signal) => {
    const dir = await mkdtemp(join(tmpdir(), 'kube-emulator-cli-'));
    const kubeconfig = join(dir, 'kubeconfig');
    const child = spawn(process.execPath, [cli, '--port', '0', '--kubeconfig', kubeconfig], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    try {
      await waitUntil('the banner', () => stderr.includes('listening on'), 10_000);
      expect(stderr).toContain('NOT a production API server');
      const server = /server: (\S+)/.exec(await readFile(kubeconfig, 'utf8'))?.[1] ?? '';
      const res = await fetch(`${server}/api/v1/namespaces/default`);
      expect(res.status).toBe(200);
      child.kill(signal);
      expect(await exited).toBe(0);
      expect(stderr).toContain(`received ${signal}`);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });
});
