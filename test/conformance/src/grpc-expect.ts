/**
 * gRPC through a Gateway with a real client (@grpc/grpc-js through @portico/testing
 * `callGrpcEcho`), as upstream's `conformance/utils/grpc` does: one unary call of the echo
 * service per try, compared on the status code and, for OK, on the answering pod's backend
 * prefix and namespace; `consecutive` matching answers in a row make the expectation hold.
 */
import { randomBytes } from 'node:crypto';
import { callGrpcEcho, waitFor, type GrpcEchoMethod, type GrpcEchoResult } from '@portico/testing';
import { expectWeightedDistribution } from './weights.ts';

/** gRPC status codes the scenarios expect (grpc `codes`). */
export const GRPC_OK = 0;
export const GRPC_UNIMPLEMENTED = 12;

/** One call and what must come back (upstream `grpc.ExpectedResponse`). */
export interface GrpcExpected {
  method: GrpcEchoMethod;
  metadata?: Record<string, string>;
  authority?: string;
  /** Default OK. */
  code?: number;
  /** For OK: the pod name must start with `<backend>-` (when set). */
  backend?: string;
  namespace?: string;
}

/** A readable name for a case, as upstream's `GetTestCaseName`. */
export function grpcCaseName(e: GrpcExpected): string {
  const extras = [
    e.authority ? `authority ${e.authority}` : '',
    ...Object.entries(e.metadata ?? {}).map(([k, v]) => `${k}: ${v}`),
  ].filter(Boolean);
  const want = e.backend ?? `code ${e.code ?? GRPC_OK}`;
  return `${e.method}${extras.length ? ` (${extras.join(', ')})` : ''} -> ${want}`;
}

/** Why `result` does not meet `e`, or undefined (upstream `compareResponse`). */
export function compareGrpc(e: GrpcExpected, result: GrpcEchoResult): string | undefined {
  const want = e.code ?? GRPC_OK;
  const got = result.ok ? GRPC_OK : result.code;
  if (got !== want) {
    const details = result.ok ? '' : ` (${result.details})`;
    return `status code ${got}${details}, want ${want}`;
  }
  if (!result.ok) return undefined;
  const context = result.response.assertions.context;
  if (e.namespace !== undefined && context.namespace !== e.namespace)
    return `answered from namespace ${context.namespace}, want ${e.namespace}`;
  if (e.backend !== undefined && !context.pod.startsWith(`${e.backend}-`))
    return `answered by pod ${context.pod}, want one of ${e.backend}`;
  return undefined;
}

const call = (address: string, e: GrpcExpected): Promise<GrpcEchoResult> =>
  callGrpcEcho({
    address,
    method: e.method,
    ...(e.authority === undefined ? {} : { authority: e.authority }),
    ...(e.metadata === undefined ? {} : { metadata: e.metadata }),
    timeoutMs: 5000,
  });

/** Upstream `grpc.MakeRequestAndExpectEventuallyConsistentResponse`. */
export async function expectGrpc(
  address: string,
  e: GrpcExpected,
  options: { timeoutMs?: number; consecutive?: number } = {},
): Promise<void> {
  const consecutive = options.consecutive ?? 3;
  let inARow = 0;
  let last = 'no call yet';
  try {
    await waitFor(
      async () => {
        const miss = compareGrpc(e, await call(address, e));
        inARow = miss === undefined ? inARow + 1 : 0;
        last = miss ?? last;
        return inARow >= consecutive;
      },
      { description: grpcCaseName(e), timeoutMs: options.timeoutMs ?? 30_000, intervalMs: 200 },
    );
  } catch {
    throw new Error(`${grpcCaseName(e)}: ${last}`);
  }
}

/** Every case, one after the other (upstream runs them as parallel subtests). */
export async function expectGrpcAll(
  address: string,
  cases: readonly GrpcExpected[],
): Promise<void> {
  for (const e of cases) await expectGrpc(address, e);
}

/**
 * Upstream GRPCRouteWeight's sender: OK calls with a random `x-jitter` metadata entry as
 * entropy, each giving the answering pod, through the weighted-distribution check.
 */
export function expectGrpcWeights(
  address: string,
  e: GrpcExpected,
  weights: Readonly<Record<string, number>>,
): Promise<void> {
  return expectWeightedDistribution(async () => {
    const jitter = { ...e.metadata, 'x-jitter': randomBytes(4).toString('hex') };
    const result = await call(address, { ...e, metadata: jitter });
    if (!result.ok) throw new Error(`status code ${result.code} (${result.details})`);
    return result.response.assertions.context.pod;
  }, weights);
}
