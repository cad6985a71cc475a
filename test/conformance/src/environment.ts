/**
 * Everything the scenarios run against: the local stack (Redis, API emulator, watcher,
 * reconcilers), one data plane per Gateway (provisioned by the reconcilers, run by the stack's kubelet), the base objects of the
 * upstream suite with their echo backends, and the clients the scenarios use.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startLocalStack, type LocalStack } from '@portico/local-stack';
import { runToCompletion } from '@portico/testing';
import { Backends } from './backends.ts';
import { BASE_BACKENDS, BASE_CERTIFICATES, baseObjects } from './base.ts';
import { APP, INFRA, WEB } from './builders.ts';
import { Cluster } from './cluster.ts';
import { HttpExpect } from './http-expect.ts';

export interface EnvironmentOptions {
  stateDir: string;
  /** Port offset of the first Gateway's data plane; later ones add 10 each. */
  portOffset: number;
  statusTimeoutMs: number;
  consistencyTimeoutMs: number;
  reconcilers?: number;
}

export interface Environment {
  readonly stack: LocalStack;
  readonly cluster: Cluster;
  readonly http: HttpExpect;
  readonly backends: Backends;
  /** Why the base namespaces did not become ready (upstream's suite setup), if they did not. */
  readonly baseNotReady: string | undefined;
  stop(): Promise<void>;
}

export async function startEnvironment(options: EnvironmentOptions): Promise<Environment> {
  const workDir = join(options.stateDir, 'manifests');
  await mkdir(workDir, { recursive: true });
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  };
  try {
    // Each Gateway gets its own data plane from Portico's provisioning (a Deployment the
    // reconciler writes), run by the local stack's kubelet at its own port offset.
    const stack = await startLocalStack({
      stateDir: options.stateDir,
      portOffset: options.portOffset,
      seed: false,
      reconcilers: options.reconcilers ?? 2,
    });
    stops.push(() => stack.stop());
    const cluster = new Cluster({
      rest: stack.rest,
      kubectl: (args) => stack.kubectl(args),
      workDir,
      listenerPort: async (gw, port) =>
        port + (await stack.kubelet.waitForPlane(gw.namespace, gw.name)).portOffset,
      statusTimeoutMs: options.statusTimeoutMs,
    });
    const backends = new Backends(stack.rest);
    stops.push(() => backends.stop());

    await cluster.apply(baseObjects());
    await createCertificates(cluster, workDir);
    await backends.start(BASE_BACKENDS);
    const baseNotReady = await cluster
      .namespacesReady([INFRA, APP, WEB])
      .then(() => undefined)
      .catch((error: unknown) => (error instanceof Error ? error.message : String(error)));

    const http = new HttpExpect({
      consecutive: 3,
      timeoutMs: options.consistencyTimeoutMs,
      retryDelayMs: 500,
    });
    return { stack, cluster, http, backends, baseNotReady, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Self-signed certificates as `kubernetes.io/tls` Secrets, made with openssl. */
async function createCertificates(cluster: Cluster, workDir: string): Promise<void> {
  for (const cert of BASE_CERTIFICATES) {
    const key = join(workDir, `${cert.name}.key`);
    const crt = join(workDir, `${cert.name}.crt`);
    const san = cert.hosts.map((h) => `DNS:${h}`).join(',');
    const result = await runToCompletion(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        crt,
        '-days',
        '1',
        '-subj',
        `/CN=${cert.hosts[0] ?? 'portico'}`,
        '-addext',
        `subjectAltName=${san}`,
      ],
      { name: 'openssl' },
    );
    if (result.code !== 0) throw new Error(`openssl failed: ${result.output}`);
    // Applied as an object: `kubectl create secret` speaks protobuf, which the emulator does not.
    const data = async (file: string): Promise<string> => (await readFile(file)).toString('base64');
    await cluster.apply([
      {
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'kubernetes.io/tls',
        metadata: { name: cert.name, namespace: cert.namespace },
        data: { 'tls.crt': await data(crt), 'tls.key': await data(key) },
      },
    ]);
  }
}
