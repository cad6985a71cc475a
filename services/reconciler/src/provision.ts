/**
 * The thin applier of provisioning: the pure `desiredDataPlane` says what a Gateway's data
 * plane should be; this makes the API server hold exactly that. An object whose
 * `portico.dev/desired-hash` annotation matches is left alone (one GET, no write), so a
 * reconcile that changes nothing costs no write and rolls nothing. Objects with our name that
 * Portico does not manage are never touched: that becomes an error on the Gateway.
 */
import {
  isNotFound,
  KubeApiError,
  objectPath,
  collectionPath,
  RESOURCES,
  type KubeObject,
  type KubeRest,
  type ResourceType,
} from '@portico/kube';
import {
  dataPlaneName,
  DESIRED_HASH_ANNOTATION,
  ownerGatewayName,
  redisSecretName,
  type DataPlaneObjects,
  type ProvisionedObject,
} from '@portico/provision';

/** A provisioning problem that retrying cannot fix (reported on the Gateway instead). */
export class ProvisionConflict extends Error {
  override name = 'ProvisionConflict';
}

const TYPES = {
  Deployment: RESOURCES.Deployment,
  Service: RESOURCES.Service,
  Secret: RESOURCES.Secret,
} as const;

/** Fields the API server fills in on a Service that a replacement must carry over. */
function keepAllocated(desired: ProvisionedObject, live: KubeObject): ProvisionedObject {
  if (desired.kind !== 'Service') return desired;
  const liveSpec = (live.spec ?? {}) as Record<string, unknown>;
  const livePorts = (liveSpec.ports ?? []) as Array<Record<string, unknown>>;
  const spec = desired.spec as Record<string, unknown>;
  const ports = (spec.ports as Array<Record<string, unknown>>).map((port) => {
    const before = livePorts.find((p) => p.name === port.name);
    return before?.nodePort !== undefined && spec.type !== 'ClusterIP'
      ? { ...port, nodePort: before.nodePort }
      : port;
  });
  const allocated = Object.fromEntries(
    ['clusterIP', 'clusterIPs', 'healthCheckNodePort']
      .filter((field) => liveSpec[field] !== undefined)
      .map((field) => [field, liveSpec[field]]),
  );
  return { ...desired, spec: { ...spec, ...allocated, ports } };
}

async function getOrUndefined(rest: KubeRest, path: string): Promise<KubeObject | undefined> {
  try {
    return await rest.request<KubeObject>('GET', path);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Creates or replaces one object; returns whether it wrote. */
async function ensureObject(
  rest: KubeRest,
  gatewayName: string,
  desired: ProvisionedObject,
): Promise<boolean> {
  const type: ResourceType = TYPES[desired.kind];
  const { namespace, name } = desired.metadata;
  const live = await getOrUndefined(rest, objectPath(type, namespace, name));
  if (!live) {
    await rest.request('POST', collectionPath(type, namespace), { body: desired });
    return true;
  }
  if (ownerGatewayName(live) !== gatewayName) {
    throw new ProvisionConflict(
      `${desired.kind} ${namespace}/${name} exists and is not managed by Portico for this Gateway; rename or delete it`,
    );
  }
  const wanted = desired.metadata.annotations[DESIRED_HASH_ANNOTATION];
  if (live.metadata.annotations?.[DESIRED_HASH_ANNOTATION] === wanted) return false;
  const body = keepAllocated(desired, live);
  await rest.request('PUT', objectPath(type, namespace, name), {
    body: {
      ...body,
      metadata: { ...body.metadata, resourceVersion: live.metadata.resourceVersion },
    },
  });
  return true;
}

/**
 * The Redis Secret is written without being read: the reconciler may create and patch Secrets
 * but never read one (least privilege; docs/operations.md, "RBAC"). It is written when the
 * Deployment (whose pod template carries the Secret's hash) is, so an unchanged data plane
 * costs no Secret write.
 */
async function writeSecret(rest: KubeRest, secret: ProvisionedObject): Promise<void> {
  const { namespace, name } = secret.metadata;
  try {
    await rest.request('POST', collectionPath(RESOURCES.Secret, namespace), { body: secret });
  } catch (error) {
    if (!(error instanceof KubeApiError && error.code === 409)) throw error;
    await rest.request('PATCH', objectPath(RESOURCES.Secret, namespace, name), {
      body: { metadata: secret.metadata, type: secret.type, stringData: secret.stringData },
      contentType: 'application/merge-patch+json',
    });
  }
}

/**
 * Makes the API hold the desired data plane. Returns the kinds written (empty: all unchanged).
 * Throws {@link ProvisionConflict} when a name is taken by an object we do not manage.
 */
export async function ensureDataPlane(
  rest: KubeRest,
  gatewayName: string,
  objects: DataPlaneObjects,
): Promise<string[]> {
  const written: string[] = [];
  const { deployment } = objects;
  const liveDeployment = await getOrUndefined(
    rest,
    objectPath(RESOURCES.Deployment, deployment.metadata.namespace, deployment.metadata.name),
  );
  const deploymentChanges =
    liveDeployment?.metadata.annotations?.[DESIRED_HASH_ANNOTATION] !==
    deployment.metadata.annotations[DESIRED_HASH_ANNOTATION];
  if (deploymentChanges && (!liveDeployment || ownerGatewayName(liveDeployment) === gatewayName)) {
    await writeSecret(rest, objects.secret);
    written.push('Secret');
  }
  if (await ensureObject(rest, gatewayName, deployment)) written.push('Deployment');
  if (await ensureObject(rest, gatewayName, objects.service)) written.push('Service');
  return written;
}

async function deleteIfOurs(
  rest: KubeRest,
  type: ResourceType,
  namespace: string,
  name: string,
  gatewayName: string,
): Promise<boolean> {
  const path = objectPath(type, namespace, name);
  const live = await getOrUndefined(rest, path);
  if (!live || ownerGatewayName(live) !== gatewayName) return false;
  try {
    await rest.request('DELETE', path, {
      body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: live.metadata.uid } },
    });
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  return true;
}

/**
 * Removes a Gateway's data plane: when the Gateway is gone (a cluster's garbage collector
 * would also do it through the owner references; this does not wait for one), moved to another
 * controller's class, or can no longer be served. Returns the kinds deleted.
 */
export async function removeDataPlane(
  rest: KubeRest,
  namespace: string,
  gatewayName: string,
): Promise<string[]> {
  const name = dataPlaneName(gatewayName);
  const deleted: string[] = [];
  if (await deleteIfOurs(rest, RESOURCES.Service, namespace, name, gatewayName))
    deleted.push('Service');
  if (await deleteIfOurs(rest, RESOURCES.Deployment, namespace, name, gatewayName)) {
    deleted.push('Deployment');
    // Not readable by us (see writeSecret); it exists when the Deployment we made did.
    try {
      await rest.request(
        'DELETE',
        objectPath(RESOURCES.Secret, namespace, redisSecretName(gatewayName)),
      );
      deleted.push('Secret');
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  return deleted;
}
