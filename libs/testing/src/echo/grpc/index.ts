/** The gRPC echo backend and its client, for GRPCRoute tests. */
export { GRPC_ECHO_METHODS, GRPC_ECHO_SERVICE } from './definition.ts';
export type { GrpcEchoMethod, GrpcEchoResponse } from './definition.ts';
export { serveGrpcEcho } from './server.ts';
export type { GrpcEchoIdentity, GrpcEchoServer } from './server.ts';
export { callGrpcEcho, GRPC_ECHO_MAIN, startGrpcEcho } from './start.ts';
export type { GrpcEchoCall, GrpcEchoResult, RunningGrpcEcho } from './start.ts';
