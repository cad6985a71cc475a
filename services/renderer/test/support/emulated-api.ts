/**
 * The API server for the Applier tests that read Secrets and ConfigMaps: the emulator with a
 * kubeconfig, the real `kubectl` on it (to make objects as users do) and the `KubeRest` the
 * renderer reads them with. Namespace `infra` exists from the start.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KubeRest } from '@portico/kube';
import { startEmulator } from '@portico/kube-emulator';

const run = promisify(execFile);

export interface EmulatedApi {
  kubeconfig: string;
  rest: KubeRest;
  /** The real kubectl on the emulator; resolves to its stdout. */
  kubectl(...args: string[]): Promise<string>;
  close(): Promise<void>;
}

/** Starts the emulator; the kubeconfig and kubectl's HOME live in `home`. */
export async function startEmulatedApi(home: string): Promise<EmulatedApi> {
  const emulator = await startEmulator();
  const kubeconfig = join(home, 'kubeconfig');
  const kubectl = async (...args: string[]): Promise<string> => {
    const { stdout } = await run('kubectl', ['--kubeconfig', kubeconfig, ...args], {
      env: { ...process.env, HOME: home },
    });
    return stdout;
  };
  try {
    await emulator.writeKubeconfig(kubeconfig);
    await kubectl('create', 'namespace', 'infra');
  } catch (error) {
    await emulator.close();
    throw error;
  }
  return {
    kubeconfig,
    rest: KubeRest.fromPath(kubeconfig),
    kubectl,
    close: () => emulator.close(),
  };
}
