/**
 * TCP and UDP end to end (issue 5): a Gateway with a TCP and a UDP listener on the same port
 * number, a TCPRoute and a UDPRoute applied with the real kubectl, real TCP and UDP echo
 * processes behind Services and EndpointSlices, and real `node:net` / `node:dgram` clients
 * through the Gateway's NGINX. A weight change moves the traffic; deleting the routes leaves
 * the TCP connection refused or closed and the UDP datagram unanswered; the status says so.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_DIR } from '@portico/local-stack';
import { startTcpEcho, startUdpEcho, waitFor, type RunningStreamEcho } from '@portico/testing';
import {
  expectNoAnswer,
  expectOnlyBackend,
  expectStreamBackend,
  sendStreamProbe,
  type Transport,
} from '../conformance/src/stream-expect.ts';
import { endpointSlice } from './support/manifests.ts';
import { hostPort, streamRoute, waitForListeners, waitForRouteParents } from './support/routes.ts';
import { tcpOutcome, type TcpOutcome } from './support/sockets.ts';
import { startE2EStack, type E2EStack } from './support/stack.ts';

const NS = 'e2e-stream';
const GATEWAY = 'stream-gateway';
const PORT = 9300;
let e2e: E2EStack;
let echoes: RunningStreamEcho[] = [];
let address = '';

/** Per transport: its route kind, listener, Service port and echo starter. */
const TRANSPORTS = {
  tcp: { kind: 'TCPRoute', port: 3000, protocol: 'TCP', start: startTcpEcho },
  udp: { kind: 'UDPRoute', port: 8080, protocol: 'UDP', start: startUdpEcho },
} as const;
const BOTH: Transport[] = ['tcp', 'udp'];

beforeAll(async () => {
  e2e = await startE2EStack({ seed: false, listenerPorts: [PORT] });
  echoes = await Promise.all(
    BOTH.flatMap((t) =>
      ['blue', 'green'].map((colour) =>
        TRANSPORTS[t].start({ namespace: NS, pod: `${t}-${colour}-1` }),
      ),
    ),
  );
  await e2e.stack.kubectl(['apply', '-f', join(SEED_DIR, 'gatewayclass.yaml')]);
  await e2e.applyFixture('stream.yaml');
  for (const echo of echoes) {
    const service = echo.identity.pod.replace(/-1$/, '');
    const t = service.startsWith('tcp') ? 'tcp' : 'udp';
    const { protocol } = TRANSPORTS[t];
    await e2e.apply(
      endpointSlice({ namespace: NS, service, portName: t, port: echo.port, protocol }),
    );
  }
  await e2e.stack.waitForGatewayProgrammed(NS, GATEWAY, 60_000);
  address = hostPort(await e2e.gatewayUrl(NS, GATEWAY, PORT));
}, 120_000);

afterAll(async () => {
  await Promise.all(echoes.map((e) => e.stop()));
  await e2e?.stop();
});

/** The TCPRoute or UDPRoute `<t>` on its listener, weights for blue and green. */
const route = (t: Transport, blue: number, green: number): string =>
  streamRoute({
    kind: TRANSPORTS[t].kind,
    namespace: NS,
    name: t,
    parent: { namespace: NS, name: GATEWAY, sectionName: t },
    backends: [
      { name: `${t}-blue`, port: TRANSPORTS[t].port, weight: blue },
      { name: `${t}-green`, port: TRANSPORTS[t].port, weight: green },
    ],
  });

const backend = (t: Transport, colour: string) => ({ namespace: NS, backend: `${t}-${colour}` });

const parentLine = (t: Transport): string =>
  `gateway.networking.k8s.io/Gateway ${NS}/${GATEWAY}#${t} by portico.dev/gateway-controller: ` +
  'Accepted=True/Accepted ResolvedRefs=True/ResolvedRefs';

const listenerLine = (t: Transport, attached: number): string =>
  `${t}: attachedRoutes=${attached} Accepted=True/Accepted Conflicted=False/NoConflicts ` +
  'Programmed=True/Programmed ResolvedRefs=True/ResolvedRefs';

describe('a TCP and a UDP listener on one port number', () => {
  it('carries TCP and UDP echoes to the backend of weight 1, and none to weight 0', async () => {
    for (const t of BOTH) await e2e.apply(route(t, 1, 0));
    for (const t of BOTH) {
      await expectStreamBackend(t, address, backend(t, 'blue'));
      await expectOnlyBackend(t, address, backend(t, 'blue'), 20);
    }
  });

  it('reports both routes Accepted and ResolvedRefs on their listener, each counted once', async () => {
    for (const t of BOTH) {
      await waitForRouteParents(e2e.stack.rest, TRANSPORTS[t].kind, NS, t, [parentLine(t)]);
    }
    await waitForListeners(e2e.stack.rest, NS, GATEWAY, [
      listenerLine('tcp', 1),
      listenerLine('udp', 1),
    ]);
  });

  it('moves the traffic to green when the weights are swapped with kubectl apply', async () => {
    for (const t of BOTH) await e2e.apply(route(t, 0, 1));
    for (const t of BOTH) {
      await expectStreamBackend(t, address, backend(t, 'green'));
      await expectOnlyBackend(t, address, backend(t, 'green'), 20);
      // The new generation's conditions (routeParentLines flags stale ones).
      await waitForRouteParents(e2e.stack.rest, TRANSPORTS[t].kind, NS, t, [parentLine(t)]);
    }
  });

  it.each(BOTH)('splits %s 1:1 between blue and green (both reached)', async (t) => {
    await e2e.apply(route(t, 1, 1));
    const seen = await waitFor(
      async () => {
        const pods = new Set<string>();
        for (let i = 0; i < 20; i++) pods.add((await sendStreamProbe(t, address)).pod);
        return [...pods].sort();
      },
      {
        description: `${t} probes answered by blue and green`,
        until: (pods) => pods.length === 2,
        timeoutMs: 30_000,
      },
    );
    expect(seen).toEqual([`${t}-blue-1`, `${t}-green-1`]);
  });

  it('refuses or closes TCP and leaves UDP unanswered once the routes are deleted', async () => {
    for (const t of BOTH) {
      await e2e.stack.kubectl(['delete', TRANSPORTS[t].kind.toLowerCase(), t, '-n', NS]);
    }
    // TCP: refused or closed at once, never answered nor left hanging.
    const gone = (o: TcpOutcome): boolean => o === 'refused' || o === 'closed';
    await waitFor(() => tcpOutcome(address), {
      description: `TCP to ${address} to be refused or closed`,
      until: gone,
      timeoutMs: 30_000,
      intervalMs: 200,
    });
    for (let i = 0; i < 3; i++) expect(await tcpOutcome(address)).toSatisfy(gone);
    // UDP: the datagram gets no answer.
    await waitFor(() => expectNoAnswer('udp', address).then(() => true), {
      description: `UDP to ${address} to go unanswered`,
      timeoutMs: 30_000,
      intervalMs: 200,
    });
    for (let i = 0; i < 3; i++) await expectNoAnswer('udp', address);
    await waitForListeners(e2e.stack.rest, NS, GATEWAY, [
      listenerLine('tcp', 0),
      listenerLine('udp', 0),
    ]);
  });

  it('accepts routes to a missing Service with ResolvedRefs=False and serves nothing for them', async () => {
    for (const t of BOTH) {
      await e2e.apply(
        streamRoute({
          kind: TRANSPORTS[t].kind,
          namespace: NS,
          name: t,
          parent: { namespace: NS, name: GATEWAY, sectionName: t },
          backends: [{ name: `${t}-absent`, port: TRANSPORTS[t].port, weight: 1 }],
        }),
      );
    }
    for (const t of BOTH) {
      await waitForRouteParents(e2e.stack.rest, TRANSPORTS[t].kind, NS, t, [
        `gateway.networking.k8s.io/Gateway ${NS}/${GATEWAY}#${t} by portico.dev/gateway-controller: ` +
          'Accepted=True/Accepted ResolvedRefs=False/BackendNotFound',
      ]);
    }
    await waitForListeners(e2e.stack.rest, NS, GATEWAY, [
      listenerLine('tcp', 1),
      listenerLine('udp', 1),
    ]);
    for (let i = 0; i < 3; i++) {
      expect(await tcpOutcome(address)).toSatisfy(
        (o: TcpOutcome) => o === 'refused' || o === 'closed',
      );
      await expectNoAnswer('udp', address);
    }
  });
});
