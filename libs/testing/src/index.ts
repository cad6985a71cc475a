/**
 * @portico/testing: real processes for tests (Redis, NGINX, echo backends), started on free
 * ports in fresh temp dirs and stopped without leaving anything behind, plus the small
 * polling and HTTP helpers that end-to-end tests share.
 */
export { freePort, freePorts, freeUdpPort } from './ports.ts';
export { StopWaiting, waitFor } from './wait.ts';
export type { WaitForOptions } from './wait.ts';
export { httpGet, httpRequest } from './http-client.ts';
export type { HttpRequestOptions, HttpResponse } from './http-client.ts';
export { startRedis } from './redis.ts';
export type { RunningRedis, StartRedisOptions } from './redis.ts';
export { startNginx } from './nginx/start.ts';
export type { NginxTestResult, RunningNginx, StartNginxOptions } from './nginx/start.ts';
export { DEFAULT_NGINX_MODULES, nginxPaths, renderBaseNginxConf } from './nginx/base-conf.ts';
export type { BaseNginxConfOptions, NginxBodies, NginxPaths } from './nginx/base-conf.ts';
export { ECHO_MAIN, startEcho } from './echo/start.ts';
export type { EchoRequestLog, RunningEcho, StartEchoOptions } from './echo/start.ts';
export { canonicalHeaderKey, describeRequest } from './echo/request-info.ts';
export type { EchoContext, EchoResponse } from './echo/request-info.ts';
export { onLastResort, runToCompletion, spawnManaged, trackedPids } from './process/children.ts';
export type { ExitInfo, ManagedProcess, SpawnManagedOptions } from './process/children.ts';
export { childPids, processAlive } from './process/proc.ts';
export { makeTempDir, removeTempDir } from './tmp.ts';
export { createTestCertificate } from './certificates.ts';
export type { TestCertificate, TestCertificateOptions } from './certificates.ts';
export {
  callGrpcEcho,
  GRPC_ECHO_MAIN,
  GRPC_ECHO_METHODS,
  GRPC_ECHO_SERVICE,
  serveGrpcEcho,
  startGrpcEcho,
} from './echo/grpc/index.ts';
export type {
  GrpcEchoCall,
  GrpcEchoIdentity,
  GrpcEchoMethod,
  GrpcEchoResponse,
  GrpcEchoResult,
  GrpcEchoServer,
  RunningGrpcEcho,
} from './echo/grpc/index.ts';
export { startTcpEcho } from './echo/tcp.ts';
export { startUdpEcho } from './echo/udp.ts';
export { startTlsEcho } from './echo/tls.ts';
export { startHttpsEcho } from './echo/https.ts';
export type { HttpsEchoResponse, RunningHttpsEcho, StartHttpsEchoOptions } from './echo/https.ts';
export { echoAnswer } from './echo/stream-identity.ts';
export type { RunningStreamEcho, StreamEchoIdentity } from './echo/stream-identity.ts';
