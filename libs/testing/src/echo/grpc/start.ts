/**
 * Starts the gRPC echo as a child process (like a pod behind a Service) and calls it: what
 * tests use to put a real gRPC backend behind a GRPCRoute and a real gRPC client in front.
 */
import { fileURLToPath } from 'node:url';
import { credentials, Metadata } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { spawnManaged } from '../../process/children.ts';
import { StopWaiting, waitFor } from '../../wait.ts';
import { grpcEchoClientConstructor } from './definition.ts';
import type { GrpcEchoMethod, GrpcEchoResponse } from './definition.ts';
import type { GrpcEchoIdentity } from './server.ts';

/** A running gRPC echo backend. */
export interface RunningGrpcEcho {
  port: number;
  pid: number;
  /** Methods called so far, oldest first. */
  calls(): { method: string; authority: string }[];
  stop(): Promise<void>;
}

/** Path of the gRPC echo program. */
export const GRPC_ECHO_MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

/** Starts the program with `process.execPath` and waits for its `listening` line. */
export async function startGrpcEcho(
  identity: Partial<GrpcEchoIdentity> & { port?: number } = {},
): Promise<RunningGrpcEcho> {
  const args = [GRPC_ECHO_MAIN, '--port', String(identity.port ?? 0)];
  for (const name of ['namespace', 'pod', 'service'] as const) {
    const value = identity[name];
    if (value !== undefined) args.push(`--${name}`, value);
  }
  let port: number | undefined;
  const calls: { method: string; authority: string }[] = [];
  const proc = spawnManaged(process.execPath, args, {
    name: 'grpc-echo',
    stdinPipe: true,
    onStdoutLine: (line) => {
      const entry = parse(line);
      if (entry?.['msg'] === 'listening') port = Number(entry['port']);
      if (entry?.['msg'] === 'call') {
        calls.push({ method: String(entry['method']), authority: String(entry['authority']) });
      }
    },
  });
  try {
    const ready = await waitFor(
      () => {
        if (!proc.running()) throw new StopWaiting(`grpc echo exited:\n${proc.output()}`);
        return port;
      },
      { description: 'the gRPC echo backend to listen', timeoutMs: 10_000 },
    );
    return {
      port: ready,
      pid: proc.pid,
      calls: () => [...calls],
      stop: async () => {
        await proc.stop();
      },
    };
  } catch (error) {
    await proc.stop();
    throw error;
  }
}

/** Options of {@link callGrpcEcho}. */
export interface GrpcEchoCall {
  /** `host:port` to connect to (cleartext h2c). */
  address: string;
  method: GrpcEchoMethod;
  /** The `:authority` to send (the Host a GRPCRoute hostname matches); default: address. */
  authority?: string;
  metadata?: Record<string, string>;
  timeoutMs?: number;
}

/** The answer of one call, or the gRPC status code and details when it failed. */
export type GrpcEchoResult =
  { ok: true; response: GrpcEchoResponse } | { ok: false; code: number; details: string };

/** One unary call with a fresh channel, closed afterwards. */
export async function callGrpcEcho(call: GrpcEchoCall): Promise<GrpcEchoResult> {
  const Client = grpcEchoClientConstructor();
  const options = call.authority === undefined ? {} : { 'grpc.default_authority': call.authority };
  const client = new Client(call.address, credentials.createInsecure(), options);
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(call.metadata ?? {})) metadata.set(key, value);
  try {
    return await new Promise<GrpcEchoResult>((resolve) => {
      const deadline = new Date(Date.now() + (call.timeoutMs ?? 5000));
      const method = client[call.method] as (
        request: object,
        metadata: Metadata,
        options: { deadline: Date },
        callback: (error: ServiceError | null, response?: GrpcEchoResponse) => void,
      ) => void;
      method.call(client, {}, metadata, { deadline }, (error, response) => {
        if (error !== null) resolve({ ok: false, code: error.code, details: error.details });
        else if (response === undefined) resolve({ ok: false, code: -1, details: 'no response' });
        else resolve({ ok: true, response });
      });
    });
  } finally {
    client.close();
  }
}

function parse(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
