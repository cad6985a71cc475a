/**
 * Defaults kube-apiserver applies to the built-in kinds that Portico reads: the namespace name
 * label (Gateway API `allowedRoutes` selectors rely on it), Service defaults with an allocated
 * cluster IP, Secret `stringData`. Pure apart from the injected IP allocator.
 */
import type { KindInfo } from './kinds.ts';
import { isObject, metaOf, metaString, type JsonObject } from './util.ts';

function defaultNamespace(obj: JsonObject): void {
  const meta = metaOf(obj);
  const labels = isObject(meta.labels) ? meta.labels : {};
  obj.metadata = {
    ...meta,
    labels: { ...labels, 'kubernetes.io/metadata.name': metaString(obj, 'name') },
  };
  const spec = isObject(obj.spec) ? obj.spec : {};
  obj.spec = {
    ...spec,
    finalizers: Array.isArray(spec.finalizers) ? spec.finalizers : ['kubernetes'],
  };
  const status = isObject(obj.status) ? obj.status : {};
  obj.status = { ...status, phase: typeof status.phase === 'string' ? status.phase : 'Active' };
}

function defaultPort(port: unknown): unknown {
  if (!isObject(port)) return port;
  return { protocol: 'TCP', ...port, targetPort: port.targetPort ?? port.port };
}

function defaultService(
  obj: JsonObject,
  previous: JsonObject | undefined,
  allocateIP: () => string,
): void {
  const spec: JsonObject = {
    type: 'ClusterIP',
    sessionAffinity: 'None',
    ...(isObject(obj.spec) ? obj.spec : {}),
  };
  if (Array.isArray(spec.ports)) spec.ports = spec.ports.map(defaultPort);
  if (spec.type !== 'ExternalName') {
    const old = previous && isObject(previous.spec) ? previous.spec.clusterIP : undefined;
    if (typeof spec.clusterIP !== 'string' || spec.clusterIP === '') {
      spec.clusterIP = typeof old === 'string' ? old : allocateIP();
    }
    spec.clusterIPs = spec.clusterIP === 'None' ? ['None'] : [spec.clusterIP];
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
    spec.internalTrafficPolicy ??= 'Cluster';
  }
  obj.spec = spec;
  if (!previous) obj.status = { loadBalancer: {} };
}

function defaultSecret(obj: JsonObject): void {
  obj.type ??= 'Opaque';
  if (isObject(obj.stringData)) {
    const data: JsonObject = isObject(obj.data) ? { ...obj.data } : {};
    for (const [k, v] of Object.entries(obj.stringData))
      data[k] = Buffer.from(String(v)).toString('base64');
    obj.data = data;
  }
  delete obj.stringData;
}

/** Applies the defaults of a built-in kind to `obj` in place; `previous` is set on updates. */
export function applyBuiltInDefaults(
  info: KindInfo,
  obj: JsonObject,
  previous: JsonObject | undefined,
  allocateIP: () => string,
): void {
  if (info.group !== '') return;
  if (info.kind === 'Namespace') defaultNamespace(obj);
  else if (info.kind === 'Service') defaultService(obj, previous, allocateIP);
  else if (info.kind === 'Secret') defaultSecret(obj);
}
