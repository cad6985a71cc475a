/**
 * GatewayParameters (`portico.dev/v1alpha1`): the settings of a Gateway's data plane. A
 * GatewayClass `parametersRef` gives defaults for its Gateways; a Gateway's
 * `infrastructure.parametersRef` overrides them field by field (the split GEP-1867
 * recommends). Validated here as well as by the schema at admission: an object admitted under
 * an older CRD, or edited around it, must become `InvalidParameters`, never a broken rollout.
 */

export type ServiceType = 'LoadBalancer' | 'NodePort' | 'ClusterIP';
export type TrafficPolicy = 'Cluster' | 'Local';

export interface ResourceList {
  cpu?: string;
  memory?: string;
}

export interface ResourceRequirements {
  requests?: ResourceList;
  limits?: ResourceList;
}

/** The spec of a GatewayParameters object; every field optional (absent: inherit). */
export interface GatewayParametersSpec {
  replicas?: number;
  resources?: ResourceRequirements;
  service?: { type?: ServiceType; externalTrafficPolicy?: TrafficPolicy };
  nginx?: { workerProcesses?: number; workerConnections?: number };
}

/** Every setting resolved: what the desired objects are built from. */
export interface DataPlaneSettings {
  replicas: number;
  resources: ResourceRequirements;
  serviceType: ServiceType;
  externalTrafficPolicy: TrafficPolicy | undefined;
  workerProcesses: number | 'auto';
  workerConnections: number;
}

/** The settings of a data plane nobody configured: those of `deploy/base`'s shared one. */
export const DEFAULT_SETTINGS: DataPlaneSettings = {
  replicas: 1,
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2', memory: '512Mi' } },
  serviceType: 'LoadBalancer',
  externalTrafficPolicy: undefined,
  workerProcesses: 'auto',
  workerConnections: 4096,
};

export type ParametersResult =
  { ok: true; spec: GatewayParametersSpec } | { ok: false; message: string };

const QUANTITY = /^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/;
const SUFFIX: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/** The value of a Kubernetes quantity, or undefined when it is not one this kind accepts. */
export function quantityValue(text: string): number | undefined {
  const match = QUANTITY.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * (SUFFIX[match[2] ?? ''] ?? 1);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

class Problems {
  readonly list: string[] = [];
  add(message: string): void {
    this.list.push(message);
  }
}

function checkKeys(value: Record<string, unknown>, allowed: string[], at: string, p: Problems) {
  for (const key of Object.keys(value).sort()) {
    if (!allowed.includes(key)) p.add(`${at}.${key} is not a known field`);
  }
}

function integerIn(value: unknown, min: number, max: number, at: string, p: Problems) {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    p.add(`${at} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
    return undefined;
  }
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], at: string, p: Problems) {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    p.add(`${at} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
    return undefined;
  }
  return value as T;
}

function resourceList(value: unknown, at: string, p: Problems): ResourceList | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) return (p.add(`${at} must be an object`), undefined);
  checkKeys(value, ['cpu', 'memory'], at, p);
  const out: ResourceList = {};
  for (const key of ['cpu', 'memory'] as const) {
    const raw = value[key];
    if (raw === undefined) continue;
    if (typeof raw !== 'string' || quantityValue(raw) === undefined) {
      p.add(`${at}.${key} must be a quantity such as 500m or 256Mi, got ${JSON.stringify(raw)}`);
    } else out[key] = raw;
  }
  return out;
}

function resources(value: unknown, p: Problems): ResourceRequirements | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) return (p.add('spec.resources must be an object'), undefined);
  checkKeys(value, ['limits', 'requests'], 'spec.resources', p);
  const requests = resourceList(value.requests, 'spec.resources.requests', p);
  const limits = resourceList(value.limits, 'spec.resources.limits', p);
  for (const key of ['cpu', 'memory'] as const) {
    const request = requests?.[key];
    const limit = limits?.[key];
    if (request && limit && (quantityValue(request) ?? 0) > (quantityValue(limit) ?? 0))
      p.add(`spec.resources.requests.${key} (${request}) exceeds the limit (${limit})`);
  }
  return { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) };
}

function section<T extends object>(
  value: unknown,
  at: string,
  p: Problems,
  read: (v: Record<string, unknown>) => T,
): T | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) return (p.add(`${at} must be an object`), undefined);
  return read(value);
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Validates a GatewayParameters `spec`; the message lists every problem, sorted by field. */
export function parseParameters(spec: unknown): ParametersResult {
  const p = new Problems();
  if (spec === undefined) return { ok: true, spec: {} };
  if (!isObject(spec)) return { ok: false, message: 'spec must be an object' };
  checkKeys(spec, ['nginx', 'replicas', 'resources', 'service'], 'spec', p);
  const service = section(spec.service, 'spec.service', p, (s) => {
    checkKeys(s, ['externalTrafficPolicy', 'type'], 'spec.service', p);
    return dropUndefined({
      type: oneOf(
        s.type,
        ['LoadBalancer', 'NodePort', 'ClusterIP'] as const,
        'spec.service.type',
        p,
      ),
      externalTrafficPolicy: oneOf(
        s.externalTrafficPolicy,
        ['Cluster', 'Local'] as const,
        'spec.service.externalTrafficPolicy',
        p,
      ),
    });
  });
  const nginx = section(spec.nginx, 'spec.nginx', p, (n) => {
    checkKeys(n, ['workerConnections', 'workerProcesses'], 'spec.nginx', p);
    return dropUndefined({
      workerProcesses: integerIn(n.workerProcesses, 1, 64, 'spec.nginx.workerProcesses', p),
      workerConnections: integerIn(
        n.workerConnections,
        64,
        65536,
        'spec.nginx.workerConnections',
        p,
      ),
    });
  });
  if (service?.type === 'ClusterIP' && service.externalTrafficPolicy !== undefined)
    p.add('spec.service.externalTrafficPolicy applies only to LoadBalancer and NodePort Services');
  const parsed = dropUndefined({
    replicas: integerIn(spec.replicas, 1, 100, 'spec.replicas', p),
    resources: resources(spec.resources, p),
    service,
    nginx,
  });
  if (p.list.length > 0) return { ok: false, message: p.list.join('; ') };
  return { ok: true, spec: parsed };
}

/**
 * The settings of a data plane: defaults, then each layer (class, then Gateway) overriding
 * the fields it sets. Resources merge per list and per resource name, and the merged result is
 * checked again: a Gateway's request may exceed the limit its class set.
 */
export function resolveSettings(
  layers: readonly GatewayParametersSpec[],
): { ok: true; settings: DataPlaneSettings } | { ok: false; message: string } {
  let settings: DataPlaneSettings = DEFAULT_SETTINGS;
  for (const layer of layers) {
    settings = {
      replicas: layer.replicas ?? settings.replicas,
      resources: {
        requests: { ...settings.resources.requests, ...layer.resources?.requests },
        limits: { ...settings.resources.limits, ...layer.resources?.limits },
      },
      serviceType: layer.service?.type ?? settings.serviceType,
      externalTrafficPolicy: layer.service?.externalTrafficPolicy ?? settings.externalTrafficPolicy,
      workerProcesses: layer.nginx?.workerProcesses ?? settings.workerProcesses,
      workerConnections: layer.nginx?.workerConnections ?? settings.workerConnections,
    };
  }
  if (settings.serviceType === 'ClusterIP')
    settings = { ...settings, externalTrafficPolicy: undefined };
  const p = new Problems();
  for (const key of ['cpu', 'memory'] as const) {
    const request = settings.resources.requests?.[key];
    const limit = settings.resources.limits?.[key];
    if (request && limit && (quantityValue(request) ?? 0) > (quantityValue(limit) ?? 0))
      p.add(`the merged ${key} request (${request}) exceeds the merged limit (${limit})`);
  }
  return p.list.length > 0 ? { ok: false, message: p.list.join('; ') } : { ok: true, settings };
}
