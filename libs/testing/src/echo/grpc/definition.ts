/**
 * The gRPC echo service definition, loaded from `grpc-echo.proto` at run time (no generated
 * code to keep in sync). Shared by the echo server and the test client.
 */
import { fileURLToPath } from 'node:url';
import { loadPackageDefinition } from '@grpc/grpc-js';
import type { GrpcObject, ServiceClientConstructor, ServiceDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

/** The fully-qualified service name, as GRPCRoute `method.service` names it. */
export const GRPC_ECHO_SERVICE = 'gateway_api_conformance.echo_basic.grpcecho.GrpcEcho';

/** The three unary methods of the echo service. */
export const GRPC_ECHO_METHODS = ['Echo', 'EchoTwo', 'EchoThree'] as const;
export type GrpcEchoMethod = (typeof GRPC_ECHO_METHODS)[number];

/** What the echo answers: who served the call and what reached it. */
export interface GrpcEchoResponse {
  assertions: {
    headers: { key: string; value: string }[];
    authority: string;
    fullyQualifiedMethod: string;
    context: { namespace: string; ingress: string; service_name: string; pod: string };
  };
}

const PROTO_PATH = fileURLToPath(new URL('./grpc-echo.proto', import.meta.url));

/** The client constructor of the service (its `.service` is the server-side definition). */
export function grpcEchoClientConstructor(): ServiceClientConstructor & {
  service: ServiceDefinition;
} {
  const definition = loadSync(PROTO_PATH, { keepCase: true, defaults: true });
  let node: GrpcObject | ServiceClientConstructor = loadPackageDefinition(definition);
  for (const part of GRPC_ECHO_SERVICE.split('.')) {
    const next: unknown = (node as GrpcObject)[part];
    if (next === undefined) throw new Error(`grpc-echo.proto has no ${part}`);
    node = next as GrpcObject;
  }
  return node as unknown as ServiceClientConstructor & { service: ServiceDefinition };
}
