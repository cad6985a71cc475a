/**
 * gRPC end to end (issue 5): a GRPCRoute applied with the real kubectl, matching a service,
 * a method and a header, in front of real @grpc/grpc-js echo processes behind Services and
 * EndpointSlices; a real gRPC client (h2c) calls through the Gateway's NGINX. Calls that no
 * rule matches get UNIMPLEMENTED (the spec's rejection for gRPC), a changed route moves the
 * traffic, and the route's status names its parent in full.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_DIR } from '@portico/local-stack';
import {
  callGrpcEcho,
  GRPC_ECHO_SERVICE,
  startGrpcEcho,
  waitFor,
  type GrpcEchoResult,
  type RunningGrpcEcho,
} from '@portico/testing';
import {
  compareGrpc,
  GRPC_UNIMPLEMENTED,
  type GrpcExpected,
} from '../conformance/src/grpc-expect.ts';
import { endpointSlice } from './support/manifests.ts';
import { hostPort, waitForListeners, waitForRouteParents } from './support/routes.ts';
import { startE2EStack, type E2EStack } from './support/stack.ts';

const NS = 'e2e-grpc';
const GATEWAY = 'grpc-gateway';
const HOST = 'grpc.e2e.local';
const TENANT = { 'x-tenant': 'blue' };
/** gRPC status UNAVAILABLE (grpc `codes`): what the spec asks for calls to invalid backends. */
const GRPC_UNAVAILABLE = 14;
let e2e: E2EStack;
let blue: RunningGrpcEcho;
let green: RunningGrpcEcho;
let address = '';

beforeAll(async () => {
  e2e = await startE2EStack({ seed: false, listenerPorts: [80] });
  [blue, green] = await Promise.all([
    startGrpcEcho({ namespace: NS, pod: 'grpc-blue-1', service: 'grpc-blue' }),
    startGrpcEcho({ namespace: NS, pod: 'grpc-green-1', service: 'grpc-green' }),
  ]);
  await e2e.stack.kubectl(['apply', '-f', join(SEED_DIR, 'gatewayclass.yaml')]);
  await e2e.applyFixture('grpc.yaml');
  for (const [service, echo] of [
    ['grpc-blue', blue],
    ['grpc-green', green],
  ] as const) {
    await e2e.apply(endpointSlice({ namespace: NS, service, port: echo.port, portName: 'grpc' }));
  }
  await e2e.stack.waitForGatewayProgrammed(NS, GATEWAY, 60_000);
  address = hostPort(await e2e.gatewayUrl(NS, GATEWAY, 80));
}, 120_000);

afterAll(async () => {
  await Promise.all([blue?.stop(), green?.stop()]);
  await e2e?.stop();
});

/** Answers with OK per pod, counted to know how many calls each echo's log must show. */
const answered = new Map<string, number>();

/** One call of the echo service through the Gateway (a fresh channel each time). */
async function call(expected: GrpcExpected): Promise<GrpcEchoResult> {
  const result = await callGrpcEcho({
    address,
    method: expected.method,
    authority: expected.authority ?? HOST,
    metadata: expected.metadata ?? {},
  });
  if (result.ok) {
    const pod = result.response.assertions.context.pod;
    answered.set(pod, (answered.get(pod) ?? 0) + 1);
  }
  return result;
}

const reaches = (backend: string): GrpcExpected => ({
  method: 'Echo',
  authority: HOST,
  metadata: TENANT,
  backend,
  namespace: NS,
});

/** Calls until three in a row meet `expected` (NGINX may still be reloading). */
async function eventually(expected: GrpcExpected): Promise<void> {
  let inARow = 0;
  await waitFor(
    async () => {
      const miss = compareGrpc(expected, await call(expected));
      inARow = miss === undefined ? inARow + 1 : 0;
      return inARow >= 3 ? true : (miss ?? 'not yet three in a row');
    },
    {
      description: `${expected.method} to get ${expected.backend ?? `code ${expected.code ?? 0}`}`,
      until: (v) => v === true,
      timeoutMs: 30_000,
      intervalMs: 200,
    },
  );
}

/**
 * The echoes log calls on stdout, possibly after answering: waits until each log holds every
 * call answered by that pod, then returns the logs' lengths. A log longer than the answers
 * is a call the backend saw that the client did not get an answer from.
 */
async function loggedCalls(): Promise<{ blue: number; green: number }> {
  const logged = () => ({ blue: blue.calls().length, green: green.calls().length });
  return waitFor(logged, {
    description: 'the echoes to log every answered call',
    until: (n) =>
      n.blue >= (answered.get('grpc-blue-1') ?? 0) &&
      n.green >= (answered.get('grpc-green-1') ?? 0),
    timeoutMs: 10_000,
  });
}

const expectedLogs = () => ({
  blue: answered.get('grpc-blue-1') ?? 0,
  green: answered.get('grpc-green-1') ?? 0,
});

const PARENT =
  `gateway.networking.k8s.io/Gateway ${NS}/${GATEWAY}#h2c by portico.dev/gateway-controller: ` +
  'Accepted=True/Accepted ResolvedRefs=True/ResolvedRefs';

describe('a GRPCRoute on a Gateway HTTP listener', () => {
  it('carries a matching call to the blue echo, method, authority and header intact', async () => {
    await e2e.applyFixture('grpc-route-blue.yaml');
    await eventually(reaches('grpc-blue'));

    const result = await call(reaches('grpc-blue'));
    if (!result.ok) throw new Error(`call failed: ${result.code} ${result.details}`);
    const { assertions } = result.response;
    expect(assertions.fullyQualifiedMethod).toBe(`/${GRPC_ECHO_SERVICE}/Echo`);
    expect(assertions.authority).toBe(HOST);
    expect(assertions.headers).toContainEqual({ key: 'x-tenant', value: 'blue' });
    expect(assertions.context).toMatchObject({ namespace: NS, pod: 'grpc-blue-1' });
    expect(await loggedCalls()).toEqual(expectedLogs());
    expect(blue.calls().at(-1)).toEqual({ method: 'Echo', authority: HOST });
  });

  it.each<[string, GrpcExpected]>([
    ['another method of the service', { method: 'EchoTwo', metadata: TENANT }],
    ['the method without the header', { method: 'Echo' }],
    ['the method with another header value', { method: 'Echo', metadata: { 'x-tenant': 'red' } }],
    ['another authority', { method: 'Echo', metadata: TENANT, authority: 'other.e2e.local' }],
  ])('answers UNIMPLEMENTED to %s, and no backend sees the call', async (_name, expected) => {
    const miss = compareGrpc({ ...expected, code: GRPC_UNIMPLEMENTED }, await call(expected));
    expect(miss).toBeUndefined();
    // A matching call after it: once its answer is logged, so would the refused call be.
    expect(compareGrpc(reaches('grpc-blue'), await call(reaches('grpc-blue')))).toBeUndefined();
    expect(await loggedCalls()).toEqual(expectedLogs());
  });

  it('reports the route Accepted and ResolvedRefs for the full parentRef; the listener counts it', async () => {
    await waitForRouteParents(e2e.stack.rest, 'GRPCRoute', NS, 'echo', [PARENT]);
    await waitForListeners(e2e.stack.rest, NS, GATEWAY, [
      'h2c: attachedRoutes=1 Accepted=True/Accepted Conflicted=False/NoConflicts Programmed=True/Programmed ResolvedRefs=True/ResolvedRefs',
    ]);
  });

  it('moves the traffic to the green echo when the route is changed with kubectl apply', async () => {
    await e2e.applyFixture('grpc-route-green.yaml');
    await eventually(reaches('grpc-green'));
    const blueBefore = (await loggedCalls()).blue;
    const pods: string[] = [];
    for (let i = 0; i < 10; i++) {
      const result = await call(reaches('grpc-green'));
      pods.push(result.ok ? result.response.assertions.context.pod : `code ${result.code}`);
    }
    expect(pods).toEqual(Array<string>(10).fill('grpc-green-1'));
    expect(await loggedCalls()).toEqual(expectedLogs());
    expect(blue.calls()).toHaveLength(blueBefore);

    const generation = await e2e.stack.kubectl([
      ...['get', 'grpcroute', 'echo', '-n', NS, '-o', 'jsonpath={.metadata.generation}'],
    ]);
    expect(generation.trim()).toBe('2');
    // Every condition carries generation 2 (routeParentLines flags stale ones).
    await waitForRouteParents(e2e.stack.rest, 'GRPCRoute', NS, 'echo', [PARENT]);
  });

  it('answers UNAVAILABLE for a rule whose backend Service does not exist, and says why', async () => {
    await e2e.applyFixture('grpc-route-broken.yaml');
    await waitForRouteParents(e2e.stack.rest, 'GRPCRoute', NS, 'broken', [
      `gateway.networking.k8s.io/Gateway ${NS}/${GATEWAY}#h2c by portico.dev/gateway-controller: ` +
        'Accepted=True/Accepted ResolvedRefs=False/BackendNotFound',
    ]);
    await eventually({
      method: 'EchoTwo',
      authority: 'broken.e2e.local',
      code: GRPC_UNAVAILABLE,
    });
    expect(await loggedCalls()).toEqual(expectedLogs());
  });
});
