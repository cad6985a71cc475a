/**
 * The desired data plane of one Gateway: a Deployment of the renderer with its NGINX (the
 * image and hardening of `deploy/base`'s former shared data plane), a Service exposing the
 * listener ports, the Secret that holds the data plane's Redis URL (a Secret in another
 * namespace cannot be referenced), its ServiceAccount with read access to exactly its
 * certificate Secrets, and a PodDisruptionBudget when it has several replicas. Owned by the
 * Gateway (certificate access in other namespaces excepted: see access.ts). Pure: the same input gives the
 * same objects, each carrying a hash of itself so an unchanged object is never written.
 */
import { certificateAccess } from './access.ts';
import { disruptionBudget } from './disruption.ts';
import {
  dataPlaneName,
  DESIRED_HASH_ANNOTATION,
  REDIS_HASH_ANNOTATION,
  redisSecretName,
  serviceAccountName,
} from './names.ts';
import {
  metadata,
  selectorLabels,
  sorted,
  stamped,
  type GatewayInfo,
  type ProvisionedObject,
} from './objects.ts';
import type { DataPlaneSettings } from './parameters.ts';

/** Installation-wide facts about data planes (from the reconciler's configuration). */
export interface DataPlaneEnvironment {
  image: string;
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  redisUrl: string;
  redisPrefix: string;
  /** Added to every listener port inside the pod: non-root NGINX cannot bind ports < 1024. */
  portOffset: number;
  logLevel: string;
  /** Passed to every data plane as is (tracing: `OTEL_*`), sorted by name. */
  extraEnv?: Readonly<Record<string, string>>;
}

export interface DataPlaneObjects {
  /**
   * In the order they are applied: the identity and its certificate access, then the Secret,
   * before the pods that use them.
   */
  serviceAccount: ProvisionedObject;
  /** Role and RoleBinding per namespace of certificate Secrets (see access.ts); may be empty. */
  certificateAccess: ProvisionedObject[];
  secret: ProvisionedObject;
  deployment: ProvisionedObject;
  service: ProvisionedObject;
  /** Present with more than one replica (see disruption.ts). */
  disruptionBudget?: ProvisionedObject;
}

export type DesiredResult =
  { ok: true; objects: DataPlaneObjects } | { ok: false; message: string };

export const OPS_PORT = 8083;
export const STATUS_PORT = 9901;
export const DATA_DIR = '/var/lib/portico/nginx';

interface PortSpec {
  name: string;
  port: number;
  targetPort: number;
  protocol: 'TCP' | 'UDP';
}

/** One port per distinct listener port and transport, sorted (UDP listeners are UDP). */
function listenerPorts(gateway: GatewayInfo, offset: number): PortSpec[] | string {
  const seen = new Map<string, PortSpec>();
  for (const listener of gateway.listeners) {
    const protocol = listener.protocol === 'UDP' ? 'UDP' : 'TCP';
    const targetPort = listener.port + offset;
    if (targetPort > 65_535)
      return `listener port ${listener.port} plus the data plane's port offset ${offset} exceeds 65535`;
    const name = `${protocol.toLowerCase()}-${listener.port}`;
    seen.set(name, { name, port: listener.port, targetPort, protocol });
  }
  return [...seen.values()].sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
}

function redisSecret(gateway: GatewayInfo, env: DataPlaneEnvironment): ProvisionedObject {
  return stamped({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: metadata(gateway, redisSecretName(gateway.name)),
    type: 'Opaque',
    stringData: { REDIS_URL: env.redisUrl },
  });
}

function containerEnv(
  gateway: GatewayInfo,
  settings: DataPlaneSettings,
  env: DataPlaneEnvironment,
) {
  const plain: Record<string, string> = {
    ...env.extraEnv,
    LOG_LEVEL: env.logLevel,
    NODE_ENV: 'production',
    PORTICO_DATA_DIR: DATA_DIR,
    PORTICO_GATEWAYS: `gateway/${gateway.namespace}/${gateway.name}`,
    PORTICO_NGINX_STATUS_PORT: String(STATUS_PORT),
    PORTICO_NGINX_WORKER_CONNECTIONS: String(settings.workerConnections),
    PORTICO_NGINX_WORKER_PROCESSES: String(settings.workerProcesses),
    PORTICO_OPS_PORT: String(OPS_PORT),
    PORTICO_PORT_OFFSET: String(env.portOffset),
    PORTICO_REDIS_PREFIX: env.redisPrefix,
  };
  return [
    ...Object.keys(plain)
      .sort()
      .map((name) => ({ name, value: plain[name] })),
    { name: 'PORTICO_RENDERER_ID', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    {
      name: 'REDIS_URL',
      valueFrom: { secretKeyRef: { name: redisSecretName(gateway.name), key: 'REDIS_URL' } },
    },
  ];
}

function container(gateway: GatewayInfo, settings: DataPlaneSettings, env: DataPlaneEnvironment) {
  return {
    name: 'dataplane',
    image: env.image,
    ...(env.imagePullPolicy ? { imagePullPolicy: env.imagePullPolicy } : {}),
    command: ['node', 'services/renderer/src/main.ts'],
    env: containerEnv(gateway, settings, env),
    // Listener ports are not declared here (the Service targets them by number): a listener
    // added or removed is then an NGINX reload in the running pods, not a rollout of new ones.
    ports: [{ name: 'ops', containerPort: OPS_PORT, protocol: 'TCP' }],
    // Ready once the first configuration is applied and Redis is connected.
    readinessProbe: { httpGet: { path: '/readyz', port: 'ops' }, periodSeconds: 5 },
    livenessProbe: {
      httpGet: { path: '/healthz', port: 'ops' },
      initialDelaySeconds: 10,
      periodSeconds: 20,
      failureThreshold: 3,
    },
    resources: settings.resources,
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    },
    volumeMounts: [
      { name: 'data', mountPath: '/var/lib/portico' },
      { name: 'tmp', mountPath: '/tmp' },
    ],
  };
}

function deployment(
  gateway: GatewayInfo,
  settings: DataPlaneSettings,
  env: DataPlaneEnvironment,
  secretHash: string,
): ProvisionedObject {
  const meta = metadata(gateway, dataPlaneName(gateway.name));
  return stamped({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta,
    spec: {
      replicas: settings.replicas,
      revisionHistoryLimit: 5,
      selector: { matchLabels: selectorLabels(gateway) },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: {
          labels: meta.labels,
          annotations: sorted({ ...meta.annotations, [REDIS_HASH_ANNOTATION]: secretHash }),
        },
        spec: {
          // Its own identity, holding only `get` on its certificate Secrets (access.ts); the
          // token is mounted even without HTTPS listeners, so adding one rolls no pods.
          serviceAccountName: serviceAccountName(gateway.name),
          automountServiceAccountToken: true,
          // SIGTERM: the renderer stops following the IR, then stops NGINX gracefully.
          terminationGracePeriodSeconds: 45,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 101,
            runAsGroup: 101,
            fsGroup: 101,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          // Replicas on different nodes and zones where the cluster has them, never blocking.
          topologySpreadConstraints: ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map(
            (topologyKey) => ({
              maxSkew: 1,
              topologyKey,
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: selectorLabels(gateway) },
            }),
          ),
          containers: [container(gateway, settings, env)],
          volumes: [
            { name: 'data', emptyDir: { sizeLimit: '256Mi' } },
            { name: 'tmp', emptyDir: { sizeLimit: '16Mi' } },
          ],
        },
      },
    },
  });
}

function service(
  gateway: GatewayInfo,
  settings: DataPlaneSettings,
  ports: PortSpec[],
): ProvisionedObject {
  return stamped({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(gateway, dataPlaneName(gateway.name)),
    spec: {
      type: settings.serviceType,
      ...(settings.externalTrafficPolicy
        ? { externalTrafficPolicy: settings.externalTrafficPolicy }
        : {}),
      selector: selectorLabels(gateway),
      ports: ports.map((p) => ({
        name: p.name,
        port: p.port,
        targetPort: p.targetPort,
        protocol: p.protocol,
      })),
    },
  });
}

/** The objects of a Gateway's data plane, or why there can be none. */
export function desiredDataPlane(
  gateway: GatewayInfo,
  settings: DataPlaneSettings,
  env: DataPlaneEnvironment,
): DesiredResult {
  const ports = listenerPorts(gateway, env.portOffset);
  if (typeof ports === 'string') return { ok: false, message: ports };
  const secret = redisSecret(gateway, env);
  const secretHash = secret.metadata.annotations[DESIRED_HASH_ANNOTATION] ?? '';
  const access = certificateAccess(gateway);
  const budget = disruptionBudget(gateway, settings);
  return {
    ok: true,
    objects: {
      serviceAccount: access.serviceAccount,
      certificateAccess: access.grants,
      secret,
      deployment: deployment(gateway, settings, env, secretHash),
      service: service(gateway, settings, ports),
      ...(budget ? { disruptionBudget: budget } : {}),
    },
  };
}
