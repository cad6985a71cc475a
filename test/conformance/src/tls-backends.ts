/**
 * The backends of upstream's TLS tests as local "pods" started by the scenario that needs
 * them: `tls-backend` and `tls-backend-2` (HTTPS echo servers holding their Secret's
 * certificate), and `tcp-backend` (a plain TCP echo on port `echo-tcp-plain` and a TLS echo
 * on `echo-tcp-tls`). Their Services are manifests; the pods' EndpointSlices are written as
 * the endpoints controller would, and deleted with the pods.
 */
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { objectPath, RESOURCES, type KubeObject, type KubeRest } from '@portico/kube';
import { writeEndpointSlice } from '@portico/local-stack';
import { startTcpEcho, startTlsEcho } from '@portico/testing';
import { APP, INFRA, ref, service } from './builders.ts';
import { tlsPki, type Pem } from './tls-pki.ts';

/** What one backend pod serves. */
type PodKind = 'https' | 'tcp' | 'tls';

interface PodSpec {
  namespace: string;
  app: string;
  /** Service port name → what the pod serves behind it. */
  ports: Array<[portName: string, kind: PodKind]>;
  /** The Secret whose certificate TLS ports present (`<namespace>/<name>`). */
  certificate?: string;
  replicas: number;
}

const PODS: Record<string, PodSpec> = {
  'tls-backend': {
    namespace: INFRA,
    app: 'tls-backend',
    ports: [['', 'https']],
    certificate: `${INFRA}/tls-checks-certificate`,
    replicas: 1,
  },
  'tls-backend-2': {
    namespace: INFRA,
    app: 'tls-backend-2',
    ports: [['', 'https']],
    certificate: `${INFRA}/tls-checks-certificate`,
    replicas: 1,
  },
  'tcp-backend': {
    namespace: INFRA,
    app: 'tcp-backend',
    ports: [
      ['echo-tcp-plain', 'tcp'],
      ['echo-tcp-tls', 'tls'],
    ],
    certificate: `${INFRA}/tls-passthrough-checks-certificate`,
    replicas: 2,
  },
};

/** The backend Services, as upstream's base declares them. */
export function tlsBackendServices(): KubeObject[] {
  const https = (namespace: string, app: string): KubeObject =>
    service(ref(namespace, app), [{ port: 443, targetPort: 8443 }], { selector: { app } });
  return [
    https(INFRA, 'tls-backend'),
    https(INFRA, 'tls-backend-2'),
    https(APP, 'tls-backend'),
    service(
      ref(INFRA, 'tcp-backend'),
      [
        { name: 'echo-tcp-plain', port: 3000, targetPort: 3000 },
        { name: 'echo-tcp-tls', port: 8443, targetPort: 8443 },
      ],
      { selector: { app: 'tcp-backend' } },
    ),
  ];
}

/** What the HTTPS echo answers (a subset of upstream's echo-basic JSON). */
export interface HttpsEchoAnswer {
  namespace: string;
  pod: string;
  host: string;
  path: string;
  sni: string;
}

async function startHttpsEcho(
  identity: { namespace: string; pod: string },
  pem: Pem,
): Promise<{ port: number; stop(): Promise<void> }> {
  const server = createHttpsServer({ cert: pem.cert, key: pem.key }, (req, res) => {
    const socket = req.socket as { servername?: string | false };
    const answer: HttpsEchoAnswer = {
      ...identity,
      host: req.headers.host ?? '',
      path: req.url ?? '',
      sni: typeof socket.servername === 'string' ? socket.servername : '',
    };
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { port, stop };
}

async function startPort(
  kind: PodKind,
  identity: { namespace: string; pod: string },
  pem: Pem | undefined,
): Promise<{ port: number; stop(): Promise<void> }> {
  if (kind === 'tcp') return startTcpEcho(identity);
  if (pem === undefined) throw new Error(`${identity.pod}: a TLS port needs a certificate`);
  return kind === 'tls' ? startTlsEcho(identity, pem) : startHttpsEcho(identity, pem);
}

/** Starts the named backends (keys of the table above) and publishes their endpoints. */
export async function startTlsBackends(
  rest: KubeRest,
  apps: readonly string[],
): Promise<{ stop(): Promise<void> }> {
  const stops: Array<() => Promise<void>> = [];
  const stop = async (): Promise<void> => {
    for (const s of stops.splice(0).reverse()) await s().catch(() => undefined);
  };
  try {
    for (const app of apps) {
      const spec = PODS[app];
      if (spec === undefined) throw new Error(`no TLS backend named ${app}`);
      const pem =
        spec.certificate === undefined ? undefined : tlsPki().leaves.get(spec.certificate);
      for (let i = 0; i < spec.replicas; i++) {
        const identity = { namespace: spec.namespace, pod: `${spec.app}-local-${i}` };
        for (const [portName, kind] of spec.ports) {
          const running = await startPort(kind, identity, pem);
          stops.push(() => running.stop());
          const name = `${spec.app}-${i}-${portName || 'unnamed'}`;
          await writeEndpointSlice(rest, {
            namespace: spec.namespace,
            service: spec.app,
            portName,
            name,
            endpoints: [{ address: '127.0.0.1', port: running.port }],
          });
          const path = objectPath(RESOURCES.EndpointSlice, spec.namespace, name);
          stops.push(() => rest.request('DELETE', path).then(() => undefined));
        }
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop };
}
