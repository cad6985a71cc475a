/** The renderer's settings, from the environment (12-factor: the same image everywhere). */
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { envInteger } from '@portico/telemetry';
import { checkPrefix, redisTargetFromEnv, type RedisTarget } from '@portico/queue';

export interface RendererConfig {
  /**
   * Where certificate Secrets are read from (invariant 6: key material comes from the API
   * server, never from Redis). Undefined: in-cluster configuration or `~/.kube/config`.
   */
  kubeconfig: string | undefined;
  redisUrl: string;
  /**
   * Where Redis is: `REDIS_URL`, or Sentinel (`REDIS_SENTINELS`, `REDIS_SENTINEL_NAME`) or
   * Cluster (`REDIS_CLUSTER_NODES`) with credentials from `REDIS_URL` (see @portico/queue).
   */
  redis: RedisTarget;
  prefix: string;
  rendererId: string;
  /** Gateway keys this data plane serves (`gateway/<ns>/<name>`), or `all`. */
  gateways: 'all' | Set<string>;
  nginxBinary: string;
  dataDir: string;
  portOffset: number;
  statusPort: number;
  modules: string[];
  /** NGINX workers (GatewayParameters `spec.nginx`, through the provisioned Deployment). */
  workerProcesses: number | 'auto';
  workerConnections: number;
  nginxUser: string | undefined;
  opsPort: number;
  /**
   * The data plane's system CA bundle (`PORTICO_SYSTEM_CA_BUNDLE`, default Debian's
   * `/etc/ssl/certs/ca-certificates.crt`, which the data-plane image installs): what a
   * BackendTLSPolicy with `wellKnownCACertificates: System` trusts.
   */
  systemCaBundle: string;
  settleMs: number;
  resyncMs: number;
  /**
   * Who retires the old NGINX workers after a reload: `early`, the renderer as soon as the new
   * ones are ready (worker-handover.ts), or `master`, NGINX itself after its fixed 100 ms pause
   * (`PORTICO_NGINX_WORKER_HANDOVER`).
   */
  workerHandover: 'early' | 'master';
}

/**
 * Modules every rendered configuration needs: the stream module (the `stream {}` block). The
 * stream njs module is not listed: the h2c fronts use `js_preread`, and `renderNginx` adds
 * ngx_stream_js_module beside the stream module only when a configuration has such a front
 * (`withStreamJs` in @portico/nginx-render). The http njs module stays out: no rendered `http`
 * directive uses `js_*`, and a loaded ngx_http_js_module costs ~0.3 ms per location at every
 * config load (measured with njs 0.7.9: `nginx -t` of 1,000 one-location servers took 0.35 s
 * of CPU with it, 0.07 s without), which every reload pays. `PORTICO_NGINX_MODULES` replaces
 * this list (a build with static modules lists none).
 */
const DEBIAN_MODULES = ['/usr/lib/nginx/modules/ngx_stream_module.so'];

/** Where Debian's (and the data-plane image's) ca-certificates package puts its bundle. */
export const SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

export function loadConfig(env: NodeJS.ProcessEnv = process.env): RendererConfig {
  const gateways = (env.PORTICO_GATEWAYS ?? 'all').trim();
  const isRoot = process.getuid?.() === 0;
  return {
    kubeconfig: env.KUBECONFIG || undefined,
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    redis: redisTarget(env),
    prefix: env.PORTICO_REDIS_PREFIX ?? 'portico',
    rendererId: env.PORTICO_RENDERER_ID ?? `${hostname()}-${process.pid}`,
    gateways:
      gateways === 'all'
        ? 'all'
        : new Set(
            gateways
              .split(',')
              .map((g) => g.trim())
              .filter(Boolean),
          ),
    nginxBinary: env.NGINX_BINARY ?? '/usr/sbin/nginx',
    dataDir: resolve(env.PORTICO_DATA_DIR ?? join(process.cwd(), '.portico', 'nginx')),
    portOffset: envInteger(env, 'PORTICO_PORT_OFFSET', 0, 65_535),
    statusPort: envInteger(env, 'PORTICO_NGINX_STATUS_PORT', 9901, 65_535),
    modules:
      env.PORTICO_NGINX_MODULES !== undefined
        ? env.PORTICO_NGINX_MODULES.split(',')
            .map((m) => m.trim())
            .filter(Boolean)
        : DEBIAN_MODULES,
    workerProcesses:
      (env.PORTICO_NGINX_WORKER_PROCESSES ?? 'auto') === 'auto'
        ? 'auto'
        : envInteger(env, 'PORTICO_NGINX_WORKER_PROCESSES', 1),
    workerConnections: envInteger(env, 'PORTICO_NGINX_WORKER_CONNECTIONS', 4096),
    nginxUser: env.PORTICO_NGINX_USER ?? (isRoot ? 'www-data' : undefined),
    opsPort: envInteger(env, 'PORTICO_OPS_PORT', 8083, 65_535),
    systemCaBundle: env.PORTICO_SYSTEM_CA_BUNDLE || SYSTEM_CA_BUNDLE,
    // Short: it only gathers IRs published by one wave of reconciles. Longer bursts coalesce
    // anyway, since every trigger during an apply (which takes 100+ ms with a reload) makes
    // exactly one more apply after it.
    settleMs: envInteger(env, 'PORTICO_RENDER_SETTLE_MS', 10),
    resyncMs: envInteger(env, 'PORTICO_RESYNC_MS', 30_000),
    workerHandover: workerHandover(env.PORTICO_NGINX_WORKER_HANDOVER),
  };
}

function workerHandover(value: string | undefined): 'early' | 'master' {
  if (value === undefined || value === '' || value === 'early') return 'early';
  if (value === 'master') return 'master';
  throw new Error(`PORTICO_NGINX_WORKER_HANDOVER must be early or master, not ${value}`);
}

/** The Redis target, refusing a prefix that Redis Cluster would spread over slots. */
function redisTarget(env: NodeJS.ProcessEnv): RedisTarget {
  const target = redisTargetFromEnv(env);
  checkPrefix(target, env.PORTICO_REDIS_PREFIX ?? 'portico');
  return target;
}
