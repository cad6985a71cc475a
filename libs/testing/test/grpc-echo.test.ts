import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callGrpcEcho, GRPC_ECHO_SERVICE, startGrpcEcho, waitFor } from '../src/index.ts';
import type { GrpcEchoMethod, RunningGrpcEcho } from '../src/index.ts';

describe('gRPC echo backend (a real grpc-js server in its own process)', () => {
  let echo: RunningGrpcEcho;
  beforeAll(async () => {
    echo = await startGrpcEcho({ namespace: 'ns1', pod: 'grpc-v1-abc', service: 'grpc-v1' });
  });
  afterAll(async () => {
    await echo.stop();
  });

  it.each<GrpcEchoMethod>(['Echo', 'EchoTwo', 'EchoThree'])(
    '%s answers with its method, identity, authority and metadata',
    async (method) => {
      const result = await callGrpcEcho({
        address: `127.0.0.1:${echo.port}`,
        method,
        authority: 'grpc.example.com',
        metadata: { 'x-test': method.toLowerCase() },
      });
      if (!result.ok) throw new Error(`call failed: ${result.code} ${result.details}`);
      const { assertions } = result.response;
      expect(assertions.fullyQualifiedMethod).toBe(`/${GRPC_ECHO_SERVICE}/${method}`);
      expect(assertions.authority).toBe('grpc.example.com');
      expect(assertions.context).toEqual({
        namespace: 'ns1',
        ingress: '',
        service_name: 'grpc-v1',
        pod: 'grpc-v1-abc',
      });
      expect(assertions.headers).toContainEqual({ key: 'x-test', value: method.toLowerCase() });
    },
  );

  it('logs each call, and a closed port gives UNAVAILABLE (14)', async () => {
    // The call log arrives on the child's stdout, possibly just after the answer did.
    await waitFor(() => echo.calls().length >= 3, { description: 'the echo to log three calls' });
    expect(echo.calls().map((c) => c.method)).toEqual(['Echo', 'EchoTwo', 'EchoThree']);
    const other = await startGrpcEcho();
    const port = other.port;
    await other.stop();
    const result = await callGrpcEcho({ address: `127.0.0.1:${port}`, method: 'Echo' });
    expect(result).toMatchObject({ ok: false, code: 14 });
  });
});
