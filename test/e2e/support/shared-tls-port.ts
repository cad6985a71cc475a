/**
 * One Gateway port shared by a TLS Passthrough listener, a TLS Terminate listener and an
 * HTTPS listener, told apart by SNI, with real echo backends behind each: the setup that the
 * TLSRoute and client-address end-to-end tests share, so each test file keeps only what it
 * checks.
 */
import {
  createTestCertificate,
  startEcho,
  startTcpEcho,
  startTlsEcho,
  type RunningEcho,
  type RunningStreamEcho,
  type TestCertificate,
} from '@portico/testing';
import { endpointSlice } from './manifests.ts';
import { putTlsSecret } from './secrets.ts';
import { startE2EStack, type E2EStack } from './stack.ts';

/** A passthrough backend: its TLSRoute (`pass-<service>`) and the echo holding its cert. */
export interface PassthroughBackend {
  /** SNI of the TLSRoute; the echo `${service}-1` presents a certificate for it. */
  hostname: string;
  service: string;
}

export interface SharedTlsPortSpec {
  namespace: string;
  gateway: string;
  /** Hostname of the passthrough listener (may be a wildcard covering the backends). */
  passHostname: string;
  passthrough: readonly PassthroughBackend[];
}

/**
 * The running setup: the Gateway port on the host, one certificate per hostname
 * (`term.example` and `web.example` for the terminating listeners) and `stop()`.
 */
export interface SharedTlsPort {
  e2e: E2EStack;
  port: number;
  certs: Record<string, TestCertificate>;
  stop(): Promise<void>;
}

const service = (ns: string, name: string, portName: string): string => `
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${ns} }
spec: { ports: [{ name: ${portName}, port: 443 }] }`;

const tlsRoute = (spec: SharedTlsPortSpec, section: string, host: string, backend: string) => `
apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata: { name: ${section}-${backend}, namespace: ${spec.namespace} }
spec:
  parentRefs: [{ name: ${spec.gateway}, sectionName: ${section} }]
  hostnames: [${host}]
  rules: [{ backendRefs: [{ name: ${backend}, port: 443 }] }]`;

/** Gateway, Services, TLSRoutes (one per passthrough backend, `term-plain`), HTTPRoute. */
function manifests(spec: SharedTlsPortSpec): string {
  const ns = spec.namespace;
  return [
    `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: ${spec.gateway}, namespace: ${ns} }
spec:
  gatewayClassName: portico
  listeners:
    - name: pass
      port: 443
      protocol: TLS
      hostname: "${spec.passHostname}"
      tls: { mode: Passthrough }
    - name: term
      port: 443
      protocol: TLS
      hostname: term.example
      tls: { mode: Terminate, certificateRefs: [{ name: term }] }
    - name: web
      port: 443
      protocol: HTTPS
      hostname: web.example
      tls: { certificateRefs: [{ name: web }] }`,
    ...spec.passthrough.map((b) => service(ns, b.service, 'tls')),
    service(ns, 'plain', 'tcp'),
    service(ns, 'site', 'http'),
    ...spec.passthrough.map((b) => tlsRoute(spec, 'pass', b.hostname, b.service)),
    tlsRoute(spec, 'term', 'term.example', 'plain'),
    `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: site, namespace: ${ns} }
spec:
  parentRefs: [{ name: ${spec.gateway}, sectionName: web }]
  rules: [{ backendRefs: [{ name: site, port: 443 }] }]`,
  ].join('\n---');
}

/** Starts the echoes: a TLS echo per passthrough backend, `plain-1` (TCP), `site-1` (HTTP). */
async function startBackends(
  spec: SharedTlsPortSpec,
  certs: Record<string, TestCertificate>,
  started: Array<{ stop(): Promise<void> }>,
): Promise<{ streams: RunningStreamEcho[]; plain: RunningStreamEcho; web: RunningEcho }> {
  const identity = (pod: string) => ({ namespace: spec.namespace, pod });
  const streams: RunningStreamEcho[] = [];
  for (const b of spec.passthrough) {
    const pem = { cert: certs[b.hostname]?.certPem ?? '', key: certs[b.hostname]?.keyPem ?? '' };
    const echo = await startTlsEcho(identity(`${b.service}-1`), pem);
    started.push(echo);
    streams.push(echo);
  }
  const plain = await startTcpEcho(identity('plain-1'));
  started.push(plain);
  const web = await startEcho({ namespace: spec.namespace, pod: 'site-1', service: 'site' });
  started.push(web);
  return { streams, plain, web };
}

/**
 * Starts the local stack, the echoes and the manifests, and waits until the Gateway is
 * Programmed. What started is stopped again when a step fails, and by `stop()`.
 */
export async function startSharedTlsPort(spec: SharedTlsPortSpec): Promise<SharedTlsPort> {
  const started: Array<{ stop(): Promise<void> }> = [];
  const stop = async (): Promise<void> => {
    const [e2e, ...echoes] = started;
    await Promise.all(echoes.map((s) => s.stop()));
    await e2e?.stop();
  };
  try {
    const e2e = await startE2EStack();
    started.push(e2e);
    const ns = spec.namespace;
    const certs: Record<string, TestCertificate> = {};
    for (const host of [...spec.passthrough.map((b) => b.hostname), 'term.example', 'web.example'])
      certs[host] = await createTestCertificate([host]);
    const { streams, plain, web } = await startBackends(spec, certs, started);
    await e2e.stack.kubectl(['create', 'namespace', ns]);
    await putTlsSecret(e2e, ns, 'term', certs['term.example'] as TestCertificate);
    await putTlsSecret(e2e, ns, 'web', certs['web.example'] as TestCertificate);
    await e2e.apply(manifests(spec));
    const slices = [
      ...spec.passthrough.map((b, i) =>
        endpointSlice({
          namespace: ns,
          service: b.service,
          portName: 'tls',
          port: streams[i]?.port ?? 0,
        }),
      ),
      endpointSlice({ namespace: ns, service: 'plain', portName: 'tcp', port: plain.port }),
      endpointSlice({ namespace: ns, service: 'site', portName: 'http', port: web.port }),
    ];
    await e2e.apply(slices.join('---\n'));
    await e2e.stack.waitForGatewayProgrammed(ns, spec.gateway, 60_000);
    const port = Number(new URL(await e2e.gatewayUrl(ns, spec.gateway, 443)).port);
    return { e2e, port, certs, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
