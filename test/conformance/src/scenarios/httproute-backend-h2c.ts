/**
 * HTTPRouteBackendProtocolH2C: a client speaking HTTP/2 with prior knowledge (no Upgrade) to
 * the shared HTTP listener reaches infra-backend-v1's `second-port` (appProtocol
 * kubernetes.io/h2c). The echo pods of this harness speak HTTP/1.1 only, so the scenario runs
 * its own h2c echo "pod" of infra-backend-v1 and writes the port's EndpointSlice as the
 * endpoints controller would. Portico reaches h2c backends (grpc_pass); on NGINX 1.22 the
 * port takes h2c and HTTP/1.1 clients through a stream front that reads the client preface
 * (nginx-render stream-h2c.ts; docs/architecture.md, Backend protocols).
 */
import { connect, createServer, type Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { KubeObject } from '@portico/kube';
import { describeRequest } from '@portico/testing';
import { backend, httpRoute, INFRA, parent, ref, rule } from '../builders.ts';
import { compareRoundTrip, type Captured, type EchoSeen, type Expected } from '../http-compare.ts';
import type { Scenario } from '../scenario.ts';
import { converge } from './converge.ts';

const SAME = ref(INFRA, 'same-namespace');
const ROUTE = ref(INFRA, 'backend-protocol-h2c');
const POD = 'infra-backend-v1-h2c-0';

/** An h2c-only echo answering with the conformance echo JSON as pod {@link POD}. */
async function startH2cEcho(): Promise<{ port: number; server: Http2Server }> {
  const server = createServer((req, res) => {
    const raw = req.rawHeaders;
    const headers: string[] = ['host', req.authority];
    for (let i = 0; i + 1 < raw.length; i += 2) {
      if (!(raw[i] ?? ':').startsWith(':')) headers.push(raw[i] ?? '', raw[i + 1] ?? '');
    }
    const context = { namespace: INFRA, ingress: '', service: 'infra-backend-v1', pod: POD };
    const request = { method: req.method, target: req.url, httpVersion: req.httpVersion };
    const body = describeRequest({ ...request, rawHeaders: headers }, context, '3001');
    req.resume();
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, server };
}

/** One HTTP/2 prior-knowledge GET of `path` to `address`, captured like the HTTP/1 client. */
function h2cRoundTrip(address: string, path: string): Promise<Captured> {
  return new Promise((resolve, reject) => {
    const session = connect(`http://${address}`);
    session.on('error', reject);
    const req = session.request({ ':method': 'GET', ':path': path });
    const timer = setTimeout(() => req.destroy(new Error('no answer in 10 s')), 10_000);
    let status = 0;
    const chunks: Buffer[] = [];
    req.on('response', (headers) => (status = Number(headers[':status'])));
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', (error) => {
      clearTimeout(timer);
      session.destroy();
      reject(error);
    });
    req.on('end', () => {
      clearTimeout(timer);
      session.close();
      const captured: Captured = { status, headers: {} };
      try {
        captured.echo = JSON.parse(Buffer.concat(chunks).toString('utf8')) as EchoSeen;
      } catch {
        // Not an echo answer; the comparison says so.
      }
      resolve(captured);
    });
    req.end();
  });
}

const endpointSlice = (port: number): KubeObject =>
  ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: 'infra-backend-v1-h2c-second-port',
      namespace: INFRA,
      labels: { 'kubernetes.io/service-name': 'infra-backend-v1' },
    },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: true } }],
    ports: [{ name: 'second-port', port, protocol: 'TCP' }],
  }) as KubeObject;

export const backendProtocolH2c: Scenario = {
  shortName: 'HTTPRouteBackendProtocolH2C',
  description:
    'An HTTP/2 prior-knowledge request to the HTTP listener reaches a backendRef whose Service port has appProtocol kubernetes.io/h2c.',
  manifests: [
    httpRoute(ROUTE, {
      parents: [parent('same-namespace')],
      rules: [rule({ backends: [backend('infra-backend-v1', 8081)] })],
    }),
  ],
  async run(t) {
    const echo = await startH2cEcho();
    const slice = endpointSlice(echo.port);
    try {
      await t.cluster.apply([slice]);
      const address = await t.step('gateway and route accepted', () =>
        t.cluster.gatewayAndRoutesAccepted(SAME, [ROUTE]),
      );
      const expected: Expected = {
        request: { path: '/' },
        backend: 'infra-backend-v1',
        namespace: INFRA,
      };
      // Not in upstream: the backend half alone, from an HTTP/1.1 client (NGINX speaks h2c to
      // the h2c-only echo), so a failure below is about the client side only.
      await t.step('an HTTP/1.1 request reaches the h2c backend', () =>
        t.http.expect(address, { ...expected, backend: POD }),
      );
      await t.step('http2 prior knowledge request reaches the backend', () =>
        converge('h2c', async () =>
          compareRoundTrip(expected, 'http', await h2cRoundTrip(address, '/')),
        ),
      );
    } finally {
      await t.cluster.remove([slice]);
      await new Promise((resolve) => echo.server.close(resolve));
    }
  },
};
