/** The watcher's settings, from the environment. */
import { hostname } from 'node:os';
import { envInteger } from '@portico/telemetry';
import { checkPrefix, redisTargetFromEnv, type RedisTarget } from '@portico/queue';

export interface WatcherConfig {
  kubeconfig: string | undefined;
  redisUrl: string;
  /**
   * Where Redis is: `REDIS_URL`, or Sentinel (`REDIS_SENTINELS`, `REDIS_SENTINEL_NAME`) or
   * Cluster (`REDIS_CLUSTER_NODES`) with credentials from `REDIS_URL` (see @portico/queue).
   */
  redis: RedisTarget;
  prefix: string;
  controllerName: string;
  identity: string;
  leaseNamespace: string;
  leaseName: string;
  opsPort: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): WatcherConfig {
  return {
    kubeconfig: env.KUBECONFIG || undefined,
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    redis: redisTarget(env),
    prefix: env.PORTICO_REDIS_PREFIX ?? 'portico',
    controllerName: env.PORTICO_CONTROLLER_NAME ?? 'portico.dev/gateway-controller',
    identity: env.POD_NAME ?? `${hostname()}-${process.pid}`,
    leaseNamespace: env.PORTICO_LEASE_NAMESPACE ?? env.POD_NAMESPACE ?? 'portico-system',
    leaseName: env.PORTICO_LEASE_NAME ?? 'portico-watcher',
    opsPort: envInteger(env, 'PORTICO_OPS_PORT', 8081, 65_535),
  };
}

/** The Redis target, refusing a prefix that Redis Cluster would spread over slots. */
function redisTarget(env: NodeJS.ProcessEnv): RedisTarget {
  const target = redisTargetFromEnv(env);
  checkPrefix(target, env.PORTICO_REDIS_PREFIX ?? 'portico');
  return target;
}
