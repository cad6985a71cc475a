/**
 * The upstream suite's backend Deployments as local echo processes ("pods"), and the
 * EndpointSlices a cluster's endpoints controller would write for their Services: each pod
 * listens on its own port on 127.0.0.1, so each gets its own slice (a slice carries one port
 * per port name).
 */
import { writeEndpointSlice } from '@portico/local-stack';
import type { KubeRest } from '@portico/kube';
import { startEcho, type RunningEcho } from '@portico/testing';

/** A backend Deployment: its Service, replica count and the Service's port names. */
export interface BackendSpec {
  namespace: string;
  /** Deployment, Service and `app` label name. */
  app: string;
  replicas: number;
  /** Names of the Service ports served by the echo's HTTP port ('' for an unnamed port). */
  portNames: string[];
}

export interface Pod {
  namespace: string;
  app: string;
  name: string;
  port: number;
  echo: RunningEcho;
}

export class Backends {
  readonly #pods: Pod[] = [];
  readonly #rest: KubeRest;

  constructor(rest: KubeRest) {
    this.#rest = rest;
  }

  /** Starts the replicas of every backend (pod names `<app>-local-<i>`). */
  async start(specs: readonly BackendSpec[]): Promise<void> {
    const jobs = specs.flatMap((spec) =>
      Array.from({ length: spec.replicas }, async (_, i) => {
        const name = `${spec.app}-local-${i}`;
        const echo = await startEcho({ namespace: spec.namespace, pod: name, service: spec.app });
        this.#pods.push({ namespace: spec.namespace, app: spec.app, name, port: echo.port, echo });
      }),
    );
    await Promise.all(jobs);
    this.#pods.sort((a, b) => a.name.localeCompare(b.name));
    for (const spec of specs) {
      for (const portName of spec.portNames)
        await this.publish(spec.namespace, spec.app, spec.app, portName);
    }
  }

  /** The running pods of an app. */
  pods(namespace: string, app: string): Pod[] {
    return this.#pods.filter((p) => p.namespace === namespace && p.app === app);
  }

  /**
   * Writes the slices of `service` for the pods of `app`, one per pod, named
   * `<service>-<pod index>-<port name>`, as the endpoints controller would for a selector.
   */
  async publish(namespace: string, service: string, app: string, portName: string): Promise<void> {
    const pods = this.pods(namespace, app);
    for (const [i, pod] of pods.entries()) {
      await writeEndpointSlice(this.#rest, {
        namespace,
        service,
        portName,
        name: `${service}-${i}-${portName || 'unnamed'}`,
        endpoints: [{ address: '127.0.0.1', port: pod.port }],
      });
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.#pods.splice(0).map((p) => p.echo.stop()));
  }
}
