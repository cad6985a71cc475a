/**
 * One local stack per test file, on ports nobody else holds: the listener ports a test file
 * uses (80, 81, ... plus an offset, as `PORTICO_PORT_OFFSET` does for users) are chosen free,
 * and everything lives in a temp directory that is removed after the stack stops.
 */
import { cp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '@portico/local-stack';
import { freePort, makeTempDir, removeTempDir } from '@portico/testing';

/** A stack started for one test file, with the helpers the scenarios share. */
export interface E2EStack {
  readonly stack: LocalStack;
  readonly stateDir: string;
  /** `http://127.0.0.1:<port + offset>` for a listener port of the seed Gateway. */
  listenerUrl(port?: number): string;
  /**
   * The URL of a listener port of any Gateway: each has its own data plane, at its own port
   * offset (the seed's is the stack's). Waits for that data plane to be up.
   */
  gatewayUrl(namespace: string, name: string, port?: number): Promise<string>;
  /** `kubectl apply -f` of manifest text (written to a file, as a user would). */
  apply(manifest: string): Promise<string>;
  /** `kubectl apply -f` of a file under `test/e2e/fixtures/`. */
  applyFixture(name: string): Promise<string>;
  stop(): Promise<void>;
}

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

/** True when `port` can be bound on every address right now. */
function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * An offset such that every `listenerPorts[i] + offset` is free: anchored on a kernel-chosen
 * free port for the first listener port, then the others checked by binding them.
 */
export async function pickPortOffset(listenerPorts: readonly number[]): Promise<number> {
  const [first = 80, ...rest] = listenerPorts;
  for (let attempt = 0; attempt < 30; attempt++) {
    const anchor = await freePort();
    const offset = anchor - first;
    if (offset < 0 || Math.max(first, ...rest) + offset > 65_535) continue;
    const free = await Promise.all([anchor, ...rest.map((p) => p + offset)].map(bindable));
    if (free.every(Boolean)) return offset;
  }
  throw new Error(`no port offset leaves ${listenerPorts.join(', ')} free`);
}

/**
 * With `PORTICO_E2E_LOGS=<dir>`, the services' logs survive the run (the stack's own directory
 * is temporary): copied to `<dir>/<state dir name>/` for reading after a failure.
 */
async function keepLogs(stateDir: string): Promise<void> {
  const target = process.env.PORTICO_E2E_LOGS;
  if (!target) return;
  const name = stateDir.split('/').pop() ?? 'stack';
  await cp(join(stateDir, 'logs'), join(target, name), { recursive: true }).catch(() => undefined);
}

/** Starts the local stack (the seed example included unless `seed: false`). */
export async function startE2EStack(
  options: { listenerPorts?: number[] } & Omit<LocalStackOptions, 'stateDir' | 'portOffset'> = {},
): Promise<E2EStack> {
  const { listenerPorts = [80], ...stackOptions } = options;
  const stateDir = await makeTempDir('e2e');
  const portOffset = await pickPortOffset(listenerPorts);
  let stack: LocalStack;
  try {
    stack = await startLocalStack({ stateDir, portOffset, ...stackOptions });
  } catch (error) {
    await removeTempDir(stateDir);
    throw error;
  }
  let manifests = 0;
  return {
    stack,
    stateDir,
    listenerUrl: (port = 80) => `http://127.0.0.1:${port + portOffset}`,
    gatewayUrl: (namespace, name, port = 80) => stack.gatewayUrl(namespace, name, port, 60_000),
    apply: async (manifest) => {
      const path = join(stateDir, `manifest-${++manifests}.yaml`);
      await writeFile(path, manifest);
      return stack.kubectl(['apply', '-f', path]);
    },
    applyFixture: (name) => stack.kubectl(['apply', '-f', join(FIXTURES, name)]),
    stop: async () => {
      await stack.stop();
      await keepLogs(stateDir);
      await removeTempDir(stateDir);
    },
  };
}
