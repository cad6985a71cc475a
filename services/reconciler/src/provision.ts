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
  gatewayNameLabel,
  LABEL_GATEWAY_NAME,
  LABEL_GATEWAY_NAMESPACE,
  managedFor,
  redisSecretName,
  serviceAccountName,
  type DataPlaneObjects,
  type ProvisionedKind,
  type ProvisionedObject,
} from '@portico/provision';

/** A provisioning problem that retrying cannot fix (reported on the Gateway instead). */
export class ProvisionConflict extends Error {
  override name = 'ProvisionConflict';
}

/** The Gateway whose data plane is applied. */
export interface GatewayRef {
  namespace: string;
  name: string;
}

const RBAC = 'rbac.authorization.k8s.io';
/** The API resource of each kind a data plane is made of (tests read them back with these). */
export const PROVISIONED_TYPES: Readonly<Record<ProvisionedKind, ResourceType>> = {
  Deployment: RESOURCES.Deployment,
  Service: RESOURCES.Service,
  Secret: RESOURCES.Secret,
  ServiceAccount: {
    kind: 'ServiceAccount',
    group: '',
    version: 'v1',
    plural: 'serviceaccounts',
    namespaced: true,
  },
  Role: { kind: 'Role', group: RBAC, version: 'v1', plural: 'roles', namespaced: true },
  RoleBinding: {
    kind: 'RoleBinding',
    group: RBAC,
    version: 'v1',
    plural: 'rolebindings',
    namespaced: true,
  },
  PodDisruptionBudget: {
    kind: 'PodDisruptionBudget',
    group: 'policy',
    version: 'v1',
    plural: 'poddisruptionbudgets',
    namespaced: true,
  },
};

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

const pathOf = (object: ProvisionedObject): string =>
  objectPath(PROVISIONED_TYPES[object.kind], object.metadata.namespace, object.metadata.name);

/** The live object, when it is ours and differs from the desired one ('unchanged' if equal). */
async function liveToReplace(
  rest: KubeRest,
  gateway: GatewayRef,
  desired: ProvisionedObject,
): Promise<KubeObject | 'missing' | 'unchanged'> {
  const live = await getOrUndefined(rest, pathOf(desired));
  if (!live) return 'missing';
  if (!managedFor(live, gateway.namespace, gateway.name)) {
    const { namespace, name } = desired.metadata;
    throw new ProvisionConflict(
      `${desired.kind} ${namespace}/${name} exists and is not managed by Portico for this Gateway; rename or delete it`,
    );
  }
  const wanted = desired.metadata.annotations[DESIRED_HASH_ANNOTATION];
  return live.metadata.annotations?.[DESIRED_HASH_ANNOTATION] === wanted ? 'unchanged' : live;
}

async function writeObject(
  rest: KubeRest,
  desired: ProvisionedObject,
  live: KubeObject | 'missing',
): Promise<void> {
  if (live === 'missing') {
    const type = PROVISIONED_TYPES[desired.kind];
    await rest.request('POST', collectionPath(type, desired.metadata.namespace), {
      body: desired,
    });
    return;
  }
  const body = keepAllocated(desired, live);
  await rest.request('PUT', pathOf(desired), {
    body: {
      ...body,
      metadata: { ...body.metadata, resourceVersion: live.metadata.resourceVersion },
    },
  });
}

/** Creates or replaces one object; returns whether it wrote. */
async function ensureObject(
  rest: KubeRest,
  gateway: GatewayRef,
  desired: ProvisionedObject,
): Promise<boolean> {
  const live = await liveToReplace(rest, gateway, desired);
  if (live === 'unchanged') return false;
  await writeObject(rest, desired, live);
  return true;
}

/**
 * The Redis Secret is written without being read (docs/operations.md, "RBAC"). It is written
 * when the Deployment (whose pod template carries the Secret's hash) is, so an unchanged data
 * plane costs no Secret write.
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

async function deleteObject(rest: KubeRest, path: string, uid: string | undefined) {
  try {
    await rest.request('DELETE', path, {
      body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid } },
    });
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

/**
 * Deletes the Gateway's certificate Roles and RoleBindings, in every namespace, except those
 * named in `keep` (`<kind> <namespace>/<name>`). Found by label (those outside the Gateway's
 * namespace have no owner reference for the garbage collector to follow).
 */
async function pruneCertificateAccess(
  rest: KubeRest,
  gateway: GatewayRef,
  keep: ReadonlySet<string>,
): Promise<string[]> {
  const labelSelector = `${LABEL_GATEWAY_NAMESPACE}=${gateway.namespace},${LABEL_GATEWAY_NAME}=${gatewayNameLabel(gateway.name)}`;
  const deleted: string[] = [];
  for (const kind of ['RoleBinding', 'Role'] as const) {
    const list = await rest.request<{ items: KubeObject[] }>(
      'GET',
      collectionPath(PROVISIONED_TYPES[kind]),
      {
        query: { labelSelector },
      },
    );
    for (const item of list.items) {
      const { namespace = '', name, uid } = item.metadata;
      if (keep.has(`${kind} ${namespace}/${name}`)) continue;
      if (!managedFor(item, gateway.namespace, gateway.name)) continue;
      await deleteObject(rest, objectPath(PROVISIONED_TYPES[kind], namespace, name), uid);
      deleted.push(kind);
    }
  }
  return deleted;
}

/**
 * The data plane's identity and its certificate access. Roles that are no longer wanted are
 * looked for only when the ServiceAccount changes (its hash covers the namespaces of its
 * Roles), and before it is written: a crash in between leaves the old hash, so the next
 * reconcile looks again.
 */
async function ensureAccess(
  rest: KubeRest,
  gateway: GatewayRef,
  objects: DataPlaneObjects,
): Promise<string[]> {
  const written: string[] = [];
  for (const grant of objects.certificateAccess)
    if (await ensureObject(rest, gateway, grant)) written.push(grant.kind);
  const account = await liveToReplace(rest, gateway, objects.serviceAccount);
  if (account === 'unchanged') return written;
  const keep = new Set(
    objects.certificateAccess.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`),
  );
  const pruned = await pruneCertificateAccess(rest, gateway, keep);
  await writeObject(rest, objects.serviceAccount, account);
  return [...written, ...pruned.map((kind) => `-${kind}`), 'ServiceAccount'];
}

/** The budget when there should be one, else none (a data plane scaled down to 1). */
async function ensureBudget(
  rest: KubeRest,
  gateway: GatewayRef,
  objects: DataPlaneObjects,
): Promise<string[]> {
  if (objects.disruptionBudget)
    return (await ensureObject(rest, gateway, objects.disruptionBudget))
      ? ['PodDisruptionBudget']
      : [];
  const name = dataPlaneName(gateway.name);
  const deleted = await deleteIfOurs(rest, PROVISIONED_TYPES.PodDisruptionBudget, gateway, name);
  return deleted ? ['-PodDisruptionBudget'] : [];
}

/**
 * Makes the API hold the desired data plane. Returns the kinds written, `-<kind>` for those
 * deleted (empty: all unchanged). Throws {@link ProvisionConflict} when a name is taken by an
 * object we do not manage.
 */
export async function ensureDataPlane(
  rest: KubeRest,
  gateway: GatewayRef,
  objects: DataPlaneObjects,
): Promise<string[]> {
  const written = await ensureAccess(rest, gateway, objects);
  const { deployment } = objects;
  const liveDeployment = await getOrUndefined(rest, pathOf(deployment));
  const deploymentChanges =
    liveDeployment?.metadata.annotations?.[DESIRED_HASH_ANNOTATION] !==
    deployment.metadata.annotations[DESIRED_HASH_ANNOTATION];
  if (
    deploymentChanges &&
    (!liveDeployment || managedFor(liveDeployment, gateway.namespace, gateway.name))
  ) {
    await writeSecret(rest, objects.secret);
    written.push('Secret');
  }
  if (await ensureObject(rest, gateway, deployment)) written.push('Deployment');
  if (await ensureObject(rest, gateway, objects.service)) written.push('Service');
  written.push(...(await ensureBudget(rest, gateway, objects)));
  return written;
}

async function deleteIfOurs(
  rest: KubeRest,
  type: ResourceType,
  gateway: GatewayRef,
  name: string,
): Promise<boolean> {
  const path = objectPath(type, gateway.namespace, name);
  const live = await getOrUndefined(rest, path);
  if (!live || !managedFor(live, gateway.namespace, gateway.name)) return false;
  await deleteObject(rest, path, live.metadata.uid);
  return true;
}

/**
 * Removes a Gateway's data plane: when the Gateway is gone (a cluster's garbage collector
 * would also remove what it owns; this does not wait for one, and certificate access in other
 * namespaces has no owner to follow), moved to another controller's class, or can no longer
 * be served. Returns the kinds deleted.
 */
export async function removeDataPlane(
  rest: KubeRest,
  namespace: string,
  gatewayName: string,
): Promise<string[]> {
  const gateway = { namespace, name: gatewayName };
  const name = dataPlaneName(gatewayName);
  const deleted: string[] = [];
  for (const kind of ['PodDisruptionBudget', 'Service'] as const)
    if (await deleteIfOurs(rest, PROVISIONED_TYPES[kind], gateway, name)) deleted.push(kind);
  if (await deleteIfOurs(rest, RESOURCES.Deployment, gateway, name)) {
    deleted.push('Deployment');
    // Not read by us (see writeSecret); it exists when the Deployment we made did.
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
  deleted.push(...(await pruneCertificateAccess(rest, gateway, new Set())));
  if (
    await deleteIfOurs(
      rest,
      PROVISIONED_TYPES.ServiceAccount,
      gateway,
      serviceAccountName(gatewayName),
    )
  )
    deleted.push('ServiceAccount');
  return deleted;
}
