/**
 * The TCP, UDP and gRPC backend Deployments of the stream and gRPC tests as local echo "pods"
 * (backends.ts does the same for the HTTP echo of the base): a scenario starts the ones it
 * needs, they are published as its Services' EndpointSlices (one slice per pod, as there),
 * and they stop, slices deleted, when the scenario ends. Pod names are `<app>-local-<i>`, so
 * upstream's "pod name starts with `<backend>-`" and weight checks read them unchanged.
 */
import { objectPath, RESOURCES, type KubeRest } from '@portico/kube';
import { writeEndpointSlice } from '@portico/local-stack';
import { serveGrpcEcho, startTcpEcho, startUdpEcho } from '@portico/testing';
import type { ScenarioContext } from './scenario.ts';

/** What an echo pod speaks: upstream's echo-basic with TCP_ECHO_SERVER, UDP_ECHO_SERVER or GRPC_ECHO_SERVER. */
export type EchoKind = 'tcp' | 'udp' | 'grpc';

/** One backend Deployment: its app (= Service) name, replicas and Service port name. */
export interface EchoPodsSpec {
  namespace: string;
  app: string;
  kind: EchoKind;
  /** Default 1. */
  replicas?: number;
  /** The Service port the slices carry ('' for an unnamed port, the default). */
  portName?: string;
}

interface RunningPod {
  namespace: string;
  slice: string;
  stop(): Promise<void>;
}

async function startPod(
  spec: EchoPodsSpec,
  pod: string,
): Promise<{ port: number; stop(): Promise<void> }> {
  const identity = { namespace: spec.namespace, pod };
  switch (spec.kind) {
    case 'tcp':
      return startTcpEcho(identity);
    case 'udp':
      return startUdpEcho(identity);
    case 'grpc': {
      const server = await serveGrpcEcho({ ...identity, service: spec.app }, 0);
      // A graceful shutdown waits for NGINX's kept-alive connections; do not wait for ever.
      const stop = (): Promise<void> =>
        Promise.race([server.close(), new Promise<void>((r) => setTimeout(r, 2000).unref())]);
      return { port: server.port, stop };
    }
  }
}

/** Starts the pods of every spec and publishes their EndpointSlices. */
export async function startEchoPods(
  rest: KubeRest,
  specs: readonly EchoPodsSpec[],
): Promise<{ stop(): Promise<void> }> {
  const pods: RunningPod[] = [];
  const stop = async (): Promise<void> => {
    for (const pod of pods.splice(0)) {
      await pod.stop().catch(() => undefined);
      await rest
        .request('DELETE', objectPath(RESOURCES.EndpointSlice, pod.namespace, pod.slice))
        .catch(() => undefined);
    }
  };
  try {
    for (const spec of specs) {
      const portName = spec.portName ?? '';
      for (let i = 0; i < (spec.replicas ?? 1); i++) {
        const running = await startPod(spec, `${spec.app}-local-${i}`);
        const slice = `${spec.app}-${i}-${portName || 'unnamed'}`;
        pods.push({ namespace: spec.namespace, slice, stop: running.stop });
        await writeEndpointSlice(rest, {
          namespace: spec.namespace,
          service: spec.app,
          portName,
          name: slice,
          endpoints: [{ address: '127.0.0.1', port: running.port }],
        });
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop };
}

/** Runs `fn` with the pods up, and stops them afterwards whatever happens. */
export async function withEchoPods(
  t: ScenarioContext,
  specs: readonly EchoPodsSpec[],
  fn: () => Promise<void>,
): Promise<void> {
  const pods = await t.step('start the echo pods', () => startEchoPods(t.cluster.rest, specs));
  try {
    await fn();
  } finally {
    await pods.stop();
  }
}
