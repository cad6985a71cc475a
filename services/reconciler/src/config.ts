/** The reconciler's settings, from the environment. */
import type { GatewayStatusAddress } from '@portico/graph';
import { dataPlaneEnvironmentFromEnv, type DataPlaneEnvironment } from '@portico/provision';
import { envInteger } from '@portico/telemetry';
import { checkPrefix, redisTargetFromEnv, type RedisTarget } from '@portico/queue';

export interface ReconcilerConfig {
  kubeconfig: string | undefined;
  redisUrl: string;
  /**
   * Where Redis is: `REDIS_URL`, or Sentinel (`REDIS_SENTINELS`, `REDIS_SENTINEL_NAME`) or
   * Cluster (`REDIS_CLUSTER_NODES`) with credentials from `REDIS_URL` (see @portico/queue).
   */
  redis: RedisTarget;
  prefix: string;
  controllerName: string;
  concurrency: number;
  addresses: GatewayStatusAddress[];
  opsPort: number;
  /**
   * How long a job's lock lives without renewal. A worker that dies mid-job holds its key for
   * about this long plus one stalled check before another worker runs it again; BullMQ's 30 s
   * default made a killed reconciler stall its Gateways for up to a minute.
   */
  lockDurationMs: number;
  stalledIntervalMs: number;
  /**
   * Per-Gateway data planes (`PORTICO_PROVISION`, default on): what they run
   * (`PORTICO_DATAPLANE_IMAGE`, `_IMAGE_PULL_POLICY`, `_REDIS_URL`, `_PORT_OFFSET`,
   * `_LOG_LEVEL`, and the `OTEL_*` variables passed on). Undefined when off, for installations
   * that run their data planes by other means.
   */
  dataPlane: DataPlaneEnvironment | undefined;
}

/**
 * Features this build claims in GatewayClass `status.supportedFeatures` (conformance names).
 * Only what is implemented and tested end to end.
 */
export const SUPPORTED_FEATURES = [
  'BackendTLSPolicy',
  'BackendTLSPolicySANValidation',
  'Gateway',
  'GatewayAddressEmpty',
  'GatewayBackendClientCertificate',
  'GatewayFrontendClientCertificateValidation',
  'GatewayFrontendClientCertificateValidationInsecureFallback',
  'GatewayHTTPListenerIsolation',
  'GatewayHTTPSListenerDetectMisdirectedRequests',
  'GatewayInfrastructurePropagation',
  'GatewayPort8080',
  'GatewayStaticAddresses',
  'GRPCRoute',
  'GRPCRouteNamedRouteRule',
  'HTTPRoute',
  'HTTPRoute303RedirectStatusCode',
  'HTTPRoute307RedirectStatusCode',
  'HTTPRoute308RedirectStatusCode',
  'HTTPRouteBackendProtocolH2C',
  'HTTPRouteBackendProtocolWebSocket',
  'HTTPRouteBackendRequestHeaderModification',
  'HTTPRouteBackendTimeout',
  'HTTPRouteCORS',
  'HTTPRouteDestinationPortMatching',
  'HTTPRouteHostRewrite',
  'HTTPRouteMethodMatching',
  'HTTPRouteNamedRouteRule',
  'HTTPRouteParentRefPort',
  'HTTPRoutePathRedirect',
  'HTTPRoutePathRewrite',
  'HTTPRoutePortRedirect',
  'HTTPRouteQueryParamMatching',
  'HTTPRouteRequestMirror',
  'HTTPRouteRequestMultipleMirrors',
  'HTTPRouteRequestPercentageMirror',
  'HTTPRouteRequestTimeout',
  'HTTPRouteResponseHeaderModification',
  'HTTPRouteRetry',
  'HTTPRouteSchemeRedirect',
  'ListenerSet',
  'ReferenceGrant',
  'TCPRoute',
  'TLSRoute',
  'TLSRouteModeMixed',
  'TLSRouteModeTerminate',
  'UDPRoute',
];

/** `PORTICO_GATEWAY_ADDRESSES=127.0.0.1,gw.example.com`: IPs become IPAddress, names Hostname. */
export function parseAddresses(raw: string): GatewayStatusAddress[] {
  return raw
    .split(',')
    .map((value) => value.trim())
    .filter(Boolean)
    .map((value) => ({ type: /^[\d.]+$|:/.test(value) ? 'IPAddress' : 'Hostname', value }));
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ReconcilerConfig {
  return {
    kubeconfig: env.KUBECONFIG || undefined,
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    redis: redisTarget(env),
    prefix: env.PORTICO_REDIS_PREFIX ?? 'portico',
    controllerName: env.PORTICO_CONTROLLER_NAME ?? 'portico.dev/gateway-controller',
    concurrency: envInteger(env, 'PORTICO_RECONCILE_CONCURRENCY', 4),
    addresses: parseAddresses(env.PORTICO_GATEWAY_ADDRESSES ?? ''),
    opsPort: envInteger(env, 'PORTICO_OPS_PORT', 8082, 65_535),
    lockDurationMs: envInteger(env, 'PORTICO_JOB_LOCK_MS', 10_000),
    stalledIntervalMs: envInteger(env, 'PORTICO_STALLED_CHECK_MS', 5_000),
    dataPlane: dataPlaneEnvironmentFromEnv(env),
  };
}

/** The Redis target, refusing a prefix that Redis Cluster would spread over slots. */
function redisTarget(env: NodeJS.ProcessEnv): RedisTarget {
  const target = redisTargetFromEnv(env);
  checkPrefix(target, env.PORTICO_REDIS_PREFIX ?? 'portico');
  return target;
}
