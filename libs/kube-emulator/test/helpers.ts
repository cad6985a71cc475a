/** Test helpers: an emulator on a free port with its kubeconfig in a fresh temp dir. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { startEmulator, type Emulator, type EmulatorOptions } from '../src/index.ts';

export interface Harness {
  emulator: Emulator;
  dir: string;
  kubeconfigPath: string;
  kc: KubeConfig;
  stop(): Promise<void>;
}

export async function startHarness(options: EmulatorOptions = {}): Promise<Harness> {
  const emulator = await startEmulator(options);
  const dir = await mkdtemp(join(tmpdir(), 'kube-emulator-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  await emulator.writeKubeconfig(kubeconfigPath);
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return {
    emulator,
    dir,
    kubeconfigPath,
    kc,
    stop: async () => {
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` returns a value other than `undefined`/`false`, or fails after `timeoutMs`. */
export async function waitUntil<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const GROUP = 'gateway.networking.k8s.io';

/** A minimal valid Gateway. */
export function gatewayManifest(name: string, className = 'portico'): Record<string, unknown> {
  return {
    apiVersion: `${GROUP}/v1`,
    kind: 'Gateway',
    metadata: { name, namespace: 'default' },
    spec: {
      gatewayClassName: className,
      listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }],
    },
  };
}

/** Untyped JSON from the server; tests navigate it and assert on the values they reach. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;
