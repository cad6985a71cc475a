/**
 * The base of the upstream suite, in our own description: the three namespaces, the GatewayClass,
 * the shared Gateways of `gateway-conformance-infra`, the backend Services and the replicas
 * behind them, and the self-signed certificates the suite creates at start.
 */
import type { KubeObject } from '@portico/kube';
import type { BackendSpec } from './backends.ts';
import {
  APP,
  CLASS_NAME,
  gateway,
  gatewayClass,
  http,
  INFRA,
  listener,
  namespace,
  ref,
  service,
  terminate,
  WEB,
} from './builders.ts';

const https = (name: string, hostname?: string): Record<string, unknown> =>
  listener({
    name,
    port: 443,
    protocol: 'HTTPS',
    ...(hostname ? { hostname } : {}),
    tls: terminate(`${INFRA}/tls-validity-checks-certificate`),
  });

/** Backends of the HTTP profile (gRPC, TCP, UDP and TLS backends belong to other profiles). */
export const BASE_BACKENDS: BackendSpec[] = [
  {
    namespace: INFRA,
    app: 'infra-backend-v1',
    replicas: 2,
    portNames: ['first-port', 'third-port'],
  },
  { namespace: INFRA, app: 'infra-backend-v2', replicas: 2, portNames: [''] },
  { namespace: INFRA, app: 'infra-backend-v3', replicas: 1, portNames: [''] },
  { namespace: APP, app: 'app-backend-v1', replicas: 2, portNames: [''] },
  { namespace: APP, app: 'app-backend-v2', replicas: 2, portNames: [''] },
  { namespace: WEB, app: 'web-backend', replicas: 2, portNames: [''] },
];

const plainService = (ns: string, app: string): KubeObject =>
  service(ref(ns, app), [{ port: 8080, targetPort: 3000 }], { selector: { app } });

export function baseObjects(): KubeObject[] {
  return [
    gatewayClass(CLASS_NAME),
    namespace(INFRA, { 'gateway-conformance': 'infra' }),
    namespace(APP, { 'gateway-conformance': 'backend' }),
    namespace(WEB, { 'gateway-conformance': 'backend' }),
    gateway(ref(INFRA, 'same-namespace'), [http('http')]),
    gateway(ref(INFRA, 'all-namespaces'), [http('http', { from: 'All' })]),
    gateway(ref(INFRA, 'backend-namespaces'), [
      http('http', { from: 'Selector', selector: { 'gateway-conformance': 'backend' } }),
    ]),
    gateway(ref(INFRA, 'same-namespace-with-https-listener'), [
      https('https'),
      https('https-with-hostname', 'second-example.org'),
      https('https-with-wildcard-hostname', '*.wildcard.org'),
      https('https-with-hostname-matching-wildcard', 'fourth-example.wildcard.org'),
    ]),
    service(
      ref(INFRA, 'infra-backend-v1'),
      [
        { name: 'first-port', port: 8080, targetPort: 3000 },
        { name: 'second-port', port: 8081, targetPort: 3001, appProtocol: 'kubernetes.io/h2c' },
        { name: 'third-port', port: 8082, targetPort: 3000, appProtocol: 'kubernetes.io/ws' },
      ],
      { selector: { app: 'infra-backend-v1' } },
    ),
    plainService(INFRA, 'infra-backend-v2'),
    plainService(INFRA, 'infra-backend-v3'),
    plainService(APP, 'app-backend-v1'),
    plainService(APP, 'app-backend-v2'),
    plainService(WEB, 'web-backend'),
  ];
}

/** Self-signed certificates the suite creates at start: namespace, Secret name, DNS names. */
export const BASE_CERTIFICATES: Array<{ namespace: string; name: string; hosts: string[] }> = [
  { namespace: WEB, name: 'certificate', hosts: ['*'] },
  {
    namespace: INFRA,
    name: 'tls-validity-checks-certificate',
    hosts: ['*', '*.org', '*.wildcard.org'],
  },
];
