/**
 * The gRPC echo server: every method answers with the caller's metadata, the `:authority`,
 * the fully-qualified method and the server's identity (namespace, pod, service), as the
 * conformance suite's gRPC echo does. Cleartext HTTP/2 (h2c), which is what a GRPCRoute
 * backend speaks.
 */
import { Server, ServerCredentials } from '@grpc/grpc-js';
import type { ServerUnaryCall, sendUnaryData, UntypedServiceImplementation } from '@grpc/grpc-js';
import { GRPC_ECHO_METHODS, GRPC_ECHO_SERVICE, grpcEchoClientConstructor } from './definition.ts';
import type { GrpcEchoResponse } from './definition.ts';

/** Who the server says it is. */
export interface GrpcEchoIdentity {
  namespace: string;
  pod: string;
  service: string;
  ingress?: string;
}

/** A started server: its port and a way to stop it. */
export interface GrpcEchoServer {
  port: number;
  close(): Promise<void>;
}

/** Starts the server on `127.0.0.1:<port>` (0: any free port). */
export async function serveGrpcEcho(
  identity: GrpcEchoIdentity,
  port: number,
  onCall: (method: string, authority: string) => void = () => {},
): Promise<GrpcEchoServer> {
  const server = new Server();
  const implementation: UntypedServiceImplementation = {};
  for (const method of GRPC_ECHO_METHODS) {
    implementation[method] = (
      call: ServerUnaryCall<unknown, GrpcEchoResponse>,
      reply: sendUnaryData<GrpcEchoResponse>,
    ): void => {
      const response = answer(identity, method, call);
      onCall(method, response.assertions.authority);
      reply(null, response);
    };
  }
  server.addService(grpcEchoClientConstructor().service, implementation);
  const bound = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (error, p) =>
      error === null ? resolve(p) : reject(error),
    );
  });
  return {
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
      }),
  };
}

function answer(
  identity: GrpcEchoIdentity,
  method: string,
  call: ServerUnaryCall<unknown, GrpcEchoResponse>,
): GrpcEchoResponse {
  const metadata = call.metadata.getMap();
  const headers = Object.keys(metadata)
    .sort()
    .map((key) => ({ key, value: String(metadata[key]) }));
  return {
    assertions: {
      headers,
      // grpc-js exposes the request's :authority through getHost().
      authority: call.getHost(),
      fullyQualifiedMethod: `/${GRPC_ECHO_SERVICE}/${method}`,
      context: {
        namespace: identity.namespace,
        ingress: identity.ingress ?? '',
        service_name: identity.service,
        pod: identity.pod,
      },
    },
  };
}
