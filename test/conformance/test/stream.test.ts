import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTcpEcho, startUdpEcho, type GrpcEchoResult } from '@portico/testing';
import { compareGrpc, GRPC_UNIMPLEMENTED, grpcCaseName } from '../src/grpc-expect.ts';
import {
  compareStreamAnswer,
  expectStreamBackend,
  parseEchoAnswer,
  sendStreamProbe,
} from '../src/stream-expect.ts';
import { backendOfPod, distributionProblems } from '../src/weights.ts';

describe('weighted distribution (upstream weight.TestWeightedDistribution rules)', () => {
  const weights = { 'tcp-backend-v1': 0.7, 'tcp-backend-v2': 0.3, 'tcp-backend-v3': 0 };

  it.each([
    ['tcp-backend-v1-local-0', 'tcp-backend-v1'],
    ['grpc-infra-backend-v2-7d9f-abcde', 'grpc-infra-backend-v2'],
    ['short-name', 'short-name'],
  ])('pod %s belongs to backend %s', (pod, backend) => {
    expect(backendOfPod(pod)).toBe(backend);
  });

  it.each([
    ['exact shares', [350, 150], []],
    ['within 5 %', [370, 130], []],
    ['v1 6 % over', [380, 120], ['tcp-backend-v1 got 0.760', 'tcp-backend-v2 got 0.240']],
    [
      'only v1',
      [500, 0],
      [
        'expected 2 backends with traffic, got 1',
        'no traffic reached tcp-backend-v2',
        'tcp-backend-v1 got 1.000',
      ],
    ],
  ] as const)('%s', (_, [v1, v2], problems) => {
    const seen = new Map<string, number>([['tcp-backend-v1', v1]]);
    if (v2 > 0) seen.set('tcp-backend-v2', v2);
    const got = distributionProblems(seen, weights, 500);
    expect(got).toHaveLength(problems.length);
    problems.forEach((p, i) => expect(got[i]).toContain(p));
  });

  it('counts traffic to a weight-0 backend as a problem', () => {
    const seen = new Map([
      ['tcp-backend-v1', 340],
      ['tcp-backend-v2', 150],
      ['tcp-backend-v3', 10],
    ]);
    expect(distributionProblems(seen, weights, 500)).toEqual([
      'expected 2 backends with traffic, got 3',
    ]);
  });
});

describe('stream answers', () => {
  it.each([
    ['ns/pod-a-local-0 probe\n', 'probe\n', { namespace: 'ns', pod: 'pod-a-local-0' }],
    ['ns/pod-a-local-0 other\n', 'probe\n', undefined],
    ['garbage', 'probe\n', undefined],
  ])('parses %j', (answer, probe, want) => {
    expect(parseEchoAnswer(answer, probe)).toEqual(want);
  });

  it.each([
    [{ namespace: 'infra', pod: 'tcp-echo-one-local-0' }, undefined],
    [{ namespace: 'web', pod: 'tcp-echo-one-local-0' }, 'namespace web'],
    [{ namespace: 'infra', pod: 'tcp-echo-oneliner-local-0' }, 'pod tcp-echo-oneliner-local-0'],
    [{ namespace: 'infra', pod: 'tcp-echo-two-local-0' }, 'pod tcp-echo-two-local-0'],
  ])('compares %j with tcp-echo-one in infra', (answer, miss) => {
    const got = compareStreamAnswer({ namespace: 'infra', backend: 'tcp-echo-one' }, answer);
    if (miss === undefined) expect(got).toBeUndefined();
    else expect(got).toContain(miss);
  });
});

describe('stream probes over real sockets', () => {
  const identity = { namespace: 'infra', pod: 'echo-one-local-0' };
  let tcp: Awaited<ReturnType<typeof startTcpEcho>>;
  let udp: Awaited<ReturnType<typeof startUdpEcho>>;
  beforeAll(async () => {
    tcp = await startTcpEcho(identity);
    udp = await startUdpEcho(identity);
  });
  afterAll(async () => {
    await tcp.stop();
    await udp.stop();
  });

  it.each(['tcp', 'udp'] as const)('%s probe names the answering pod', async (transport) => {
    const port = transport === 'tcp' ? tcp.port : udp.port;
    expect(await sendStreamProbe(transport, `127.0.0.1:${port}`)).toEqual(identity);
  });

  it('expectStreamBackend fails with what answered instead', async () => {
    const address = `127.0.0.1:${tcp.port}`;
    await expectStreamBackend('tcp', address, { namespace: 'infra', backend: 'echo-one' });
    await expect(
      expectStreamBackend(
        'tcp',
        address,
        { namespace: 'infra', backend: 'echo-two' },
        { timeoutMs: 600 },
      ),
    ).rejects.toThrow(/answered by pod echo-one-local-0/);
  });

  it('a closed port gives no answer', async () => {
    const stopped = await startTcpEcho(identity);
    await stopped.stop();
    await expect(sendStreamProbe('tcp', `127.0.0.1:${stopped.port}`, 500)).rejects.toThrow(/TCP/);
  });
});

describe('gRPC answers (upstream compareResponse)', () => {
  const ok = (pod: string, namespace = 'infra'): GrpcEchoResult => ({
    ok: true,
    response: {
      assertions: {
        headers: [],
        authority: '',
        fullyQualifiedMethod: '',
        context: { namespace, ingress: '', service_name: '', pod },
      },
    },
  });

  it.each([
    [
      'right backend',
      { method: 'Echo', backend: 'grpc-infra-backend-v1', namespace: 'infra' },
      ok('grpc-infra-backend-v1-local-0'),
      undefined,
    ],
    [
      'wrong backend',
      { method: 'Echo', backend: 'grpc-infra-backend-v1' },
      ok('grpc-infra-backend-v2-local-0'),
      'answered by pod',
    ],
    [
      'wrong namespace',
      { method: 'Echo', namespace: 'infra' },
      ok('x-local-0', 'web'),
      'namespace web',
    ],
    [
      'unimplemented wanted, OK got',
      { method: 'EchoThree', code: GRPC_UNIMPLEMENTED },
      ok('x-local-0'),
      'status code 0',
    ],
    [
      'unimplemented wanted and got',
      { method: 'EchoThree', code: GRPC_UNIMPLEMENTED },
      { ok: false, code: 12, details: 'x' },
      undefined,
    ],
    [
      'OK wanted, unavailable got',
      { method: 'Echo' },
      { ok: false, code: 14, details: 'down' },
      'status code 14 (down)',
    ],
  ] as const)('%s', (_, e, result, miss) => {
    const got = compareGrpc(e, result);
    if (miss === undefined) expect(got).toBeUndefined();
    else expect(got).toContain(miss);
  });

  it('names cases by method, metadata and outcome', () => {
    expect(
      grpcCaseName({
        method: 'Echo',
        metadata: { version: 'two' },
        backend: 'grpc-infra-backend-v2',
      }),
    ).toBe('Echo (version: two) -> grpc-infra-backend-v2');
    expect(grpcCaseName({ method: 'Echo', authority: 'foo.com', code: 12 })).toBe(
      'Echo (authority foo.com) -> code 12',
    );
  });
});
