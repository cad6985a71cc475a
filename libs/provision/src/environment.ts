/**
 * What provisioned data planes run, from the reconciler's environment (12-factor; the
 * variables are listed in services/reconciler/src/config.ts and set by deploy/). Data planes live
 * in the Gateways' namespaces, so their Redis URL may need the namespace that the reconciler's
 * own does not (`PORTICO_DATAPLANE_REDIS_URL`, else `REDIS_URL`).
 */
import type { DataPlaneEnvironment } from './desired.ts';

/**
 * Variables passed on to every data plane when set: OpenTelemetry's standard ones, and the
 * Redis topology (Sentinel or Cluster; the credentials stay in the Redis Secret's URL).
 */
export const PASSED_ON_ENV = [
  'REDIS_CLUSTER_NODES',
  'REDIS_SENTINELS',
  'REDIS_SENTINEL_NAME',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_HEADERS',
  'OTEL_EXPORTER_OTLP_PROTOCOL',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'OTEL_RESOURCE_ATTRIBUTES',
  'OTEL_TRACES_EXPORTER',
  'OTEL_TRACES_SAMPLER',
  'OTEL_TRACES_SAMPLER_ARG',
];

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'] as const;

function nonNegativeInteger(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65_535)
    throw new Error(`${name} must be an integer from 0 to 65535, got "${raw}"`);
  return value;
}

/**
 * The data plane environment, or undefined when provisioning is off (`PORTICO_PROVISION=false`:
 * data planes are run by other means, as the conformance harness and some tests do).
 */
export function dataPlaneEnvironmentFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): DataPlaneEnvironment | undefined {
  const enabled = (env.PORTICO_PROVISION ?? 'true').toLowerCase();
  if (enabled !== 'true' && enabled !== 'false')
    throw new Error(`PORTICO_PROVISION must be true or false, got "${env.PORTICO_PROVISION}"`);
  if (enabled === 'false') return undefined;
  const pullPolicy = PULL_POLICIES.find((p) => p === env.PORTICO_DATAPLANE_IMAGE_PULL_POLICY);
  if (env.PORTICO_DATAPLANE_IMAGE_PULL_POLICY && !pullPolicy)
    throw new Error('PORTICO_DATAPLANE_IMAGE_PULL_POLICY must be Always, IfNotPresent or Never');
  const passedOn = Object.fromEntries(
    PASSED_ON_ENV.flatMap((name) => {
      const value = env[name];
      return value === undefined || value === '' ? [] : [[name, value]];
    }),
  );
  return {
    image: env.PORTICO_DATAPLANE_IMAGE ?? 'portico-dataplane:dev',
    ...(pullPolicy ? { imagePullPolicy: pullPolicy } : {}),
    redisUrl: env.PORTICO_DATAPLANE_REDIS_URL || env.REDIS_URL || 'redis://127.0.0.1:6379',
    redisPrefix: env.PORTICO_REDIS_PREFIX ?? 'portico',
    portOffset: nonNegativeInteger(env, 'PORTICO_DATAPLANE_PORT_OFFSET', 8000),
    logLevel: env.PORTICO_DATAPLANE_LOG_LEVEL ?? env.LOG_LEVEL ?? 'info',
    ...(Object.keys(passedOn).length > 0 ? { extraEnv: passedOn } : {}),
  };
}
