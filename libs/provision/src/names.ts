/**
 * Names and labels of provisioned objects. A Gateway's data plane objects are found again by
 * name (`dataPlaneName`), so a Gateway that is gone can still have its objects removed, and
 * they are recognised as ours by their labels and their owner reference.
 */
import { createHash } from 'node:crypto';

export const LABEL_NAME = 'app.kubernetes.io/name';
export const LABEL_COMPONENT = 'app.kubernetes.io/component';
export const LABEL_INSTANCE = 'app.kubernetes.io/instance';
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
/** The label the Gateway API asks implementations to put on what they create for a Gateway. */
export const LABEL_GATEWAY_NAME = 'gateway.networking.k8s.io/gateway-name';
export const MANAGED_BY = 'portico';
export const COMPONENT = 'dataplane';
/** Hash of the desired object: an object whose annotation matches needs no write. */
export const DESIRED_HASH_ANNOTATION = 'portico.dev/desired-hash';
/** On the pod template: the Redis Secret's content hash, so a new URL rolls the pods. */
export const REDIS_HASH_ANNOTATION = 'portico.dev/redis-secret-hash';

const shortHash = (text: string): string =>
  createHash('sha256').update(text).digest('hex').slice(0, 8);

/**
 * `portico-<gateway>`: a DNS-1035 label (what a Service name must be), so dots become dashes;
 * when that changed the name or it is longer than 63 characters, a hash of the Gateway's name
 * keeps it unique.
 */
export function dataPlaneName(gatewayName: string): string {
  const plain = `portico-${gatewayName.replaceAll('.', '-')}`;
  if (plain.length <= 63 && !gatewayName.includes('.')) return plain;
  const head = plain.slice(0, 54).replace(/-+$/, '');
  return `${head}-${shortHash(gatewayName)}`;
}

/** The Redis Secret of a data plane. */
export function redisSecretName(gatewayName: string): string {
  return `${dataPlaneName(gatewayName)}-redis`;
}

/** A label value (at most 63 characters) naming the Gateway; long names are cut and hashed. */
export function gatewayNameLabel(gatewayName: string): string {
  if (gatewayName.length <= 63) return gatewayName;
  const head = gatewayName.slice(0, 54).replace(/[^A-Za-z0-9]+$/, '');
  return `${head}-${shortHash(gatewayName)}`;
}

interface OwnedObject {
  metadata: {
    namespace?: string;
    labels?: Record<string, string>;
    ownerReferences?: unknown;
  };
}

/** The Gateway that owns the named object, when the object belongs to the data plane we manage. */
export function ownerGatewayName(object: OwnedObject): string | undefined {
  const labels = object.metadata.labels ?? {};
  if (labels[LABEL_MANAGED_BY] !== MANAGED_BY || labels[LABEL_COMPONENT] !== COMPONENT)
    return undefined;
  const owners = Array.isArray(object.metadata.ownerReferences)
    ? (object.metadata.ownerReferences as Array<Record<string, unknown>>)
    : [];
  const owner = owners.find(
    (o) =>
      o.kind === 'Gateway' &&
      typeof o.apiVersion === 'string' &&
      o.apiVersion.startsWith('gateway.networking.k8s.io/'),
  );
  return typeof owner?.name === 'string' ? owner.name : undefined;
}

/**
 * The reconcile key of the Gateway a provisioned object belongs to: the watcher enqueues it
 * when the object changes (a Service that got its load-balancer address, a deleted Deployment).
 */
export function provisionedGatewayKey(object: OwnedObject): string | undefined {
  const name = ownerGatewayName(object);
  return name === undefined ? undefined : `gateway/${object.metadata.namespace ?? ''}/${name}`;
}

/**
 * On certificate Roles and RoleBindings: the Gateway's namespace. Those in another namespace
 * cannot be owned by the Gateway (an owner reference must stay in its namespace), so the
 * reconciler finds them again by this label with the gateway-name label.
 */
export const LABEL_GATEWAY_NAMESPACE = 'portico.dev/gateway-namespace';
/**
 * On the ServiceAccount: the namespaces holding its certificate Roles. A change of them changes
 * the ServiceAccount's desired hash, which tells the reconciler to look for Roles to remove.
 */
export const CERTIFICATE_NAMESPACES_ANNOTATION = 'portico.dev/certificate-namespaces';
/** `<namespace>/<name>` of the Gateway an object serves: exact where labels are cut. */
export const GATEWAY_ANNOTATION = 'portico.dev/gateway';

/** The data plane's ServiceAccount: the identity its certificate Roles are bound to. */
export function serviceAccountName(gatewayName: string): string {
  return dataPlaneName(gatewayName);
}

/**
 * The Role and RoleBinding that let a data plane read its certificate Secrets in `namespace`.
 * In the Gateway's own namespace `portico-<gateway>-certificates`; elsewhere a hash of the
 * Gateway's namespace and name keeps Gateways of equal names in different namespaces apart.
 */
export function certificateAccessName(
  gatewayNamespace: string,
  gatewayName: string,
  namespace: string,
): string {
  const base = dataPlaneName(gatewayName);
  return namespace === gatewayNamespace
    ? `${base}-certificates`
    : `${base}-${shortHash(`${gatewayNamespace}/${gatewayName}`)}-certificates`;
}

/**
 * Whether Portico made `object` for this Gateway: our labels and, in the Gateway's namespace,
 * the Gateway as owner; in other namespaces (certificate access) the Gateway annotation.
 */
export function managedFor(
  object: OwnedObject & { metadata: { annotations?: Record<string, string> } },
  gatewayNamespace: string,
  gatewayName: string,
): boolean {
  if ((object.metadata.namespace ?? '') === gatewayNamespace)
    return ownerGatewayName(object) === gatewayName;
  const labels = object.metadata.labels ?? {};
  return (
    labels[LABEL_MANAGED_BY] === MANAGED_BY &&
    labels[LABEL_COMPONENT] === COMPONENT &&
    object.metadata.annotations?.[GATEWAY_ANNOTATION] === `${gatewayNamespace}/${gatewayName}`
  );
}
