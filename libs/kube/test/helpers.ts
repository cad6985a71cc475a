/** Test helpers: a real API emulator per suite and a `KubeRest` pointed at it. */
import { KubeConfig } from '@kubernetes/client-node';
import { startEmulator, type Emulator } from '@portico/kube-emulator';
import { KubeRest, RESOURCES, collectionPath, type KubeObject } from '../src/index.ts';

export interface Api {
  emulator: Emulator;
  rest: KubeRest;
  stop(): Promise<void>;
}

/** Starts an emulator on a free port; `rest` talks to it through a real kubeconfig. */
export async function startApi(): Promise<Api> {
  const emulator = await startEmulator();
  const config = new KubeConfig();
  config.loadFromString(emulator.kubeconfig());
  return { emulator, rest: new KubeRest(config), stop: () => emulator.close() };
}

/** A minimal valid Gateway in `default`. */
export function gatewayManifest(name: string): KubeObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name, namespace: 'default' },
    spec: {
      gatewayClassName: 'portico',
      listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }],
    },
  };
}

/** Creates a Gateway and returns it as the API server stored it. */
export function createGateway(rest: KubeRest, name: string): Promise<KubeObject> {
  return rest.request<KubeObject>('POST', collectionPath(RESOURCES.Gateway, 'default'), {
    body: gatewayManifest(name),
  });
}

/** Whatever an async call throws (fails the test when it does not throw). */
export async function thrown(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}
