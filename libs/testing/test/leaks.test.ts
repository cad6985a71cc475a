import { existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { processAlive, spawnManaged, waitFor } from '../src/index.ts';

const OWNER = fileURLToPath(new URL('./fixtures/owner.ts', import.meta.url));

interface OwnedPids {
  redis: number;
  nginx: number[];
  echo: number;
  dirs: string[];
}

/** Starts the owner fixture and waits for the pids of what it started. */
async function startOwner(mode: 'exit' | 'wait') {
  let pids: OwnedPids | undefined;
  const owner = spawnManaged(process.execPath, [OWNER, mode], {
    name: 'owner',
    onStdoutLine: (line) => {
      pids = JSON.parse(line) as OwnedPids;
    },
  });
  const owned = await waitFor(() => pids, {
    description: 'the owner to report its pids',
    timeoutMs: 15_000,
  });
  return { owner, owned, all: [owned.redis, ...owned.nginx, owned.echo] };
}

describe('no process outlives its owner', () => {
  it.each([
    { name: 'exits normally', mode: 'exit' as const, signal: undefined },
    { name: 'gets SIGTERM', mode: 'wait' as const, signal: 'SIGTERM' as const },
    { name: 'gets SIGINT', mode: 'wait' as const, signal: 'SIGINT' as const },
  ])('when the owner $name, Redis, NGINX and echo go too', async ({ mode, signal }) => {
    const { owner, owned, all } = await startOwner(mode);
    if (signal !== undefined) {
      expect(all.every(processAlive)).toBe(true);
      owner.signal(signal);
    }
    await owner.exited;
    await waitFor(() => all.filter(processAlive), {
      description: 'every owned process to be gone',
      until: (alive) => alive.length === 0,
      timeoutMs: 5000,
    });
    expect(owned.dirs.filter((dir) => existsSync(dir))).toEqual([]);
  });

  it('when the owner is SIGKILLed, the echo backend notices its closed stdin and exits', async () => {
    const { owner, owned, all } = await startOwner('wait');
    process.kill(owner.pid, 'SIGKILL');
    await owner.exited;
    try {
      await waitFor(() => !processAlive(owned.echo), {
        description: 'the orphaned echo to exit',
        timeoutMs: 5000,
      });
    } finally {
      // Redis and NGINX cannot notice a SIGKILLed owner; clean them up for this test.
      for (const pid of all) if (processAlive(pid)) process.kill(pid, 'SIGKILL');
      for (const dir of owned.dirs) rmSync(dir, { recursive: true, force: true });
    }
    expect(processAlive(owned.echo)).toBe(false);
  });
});
