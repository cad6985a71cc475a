/**
 * Provisioning inside a Gateway's reconcile: the reconciler already owns the Gateway, so it
 * also keeps the Gateway's data plane (Deployment, Service, Redis Secret) as the graph says:
 * present for an accepted Gateway, left as it is while the Gateway's parameters are invalid
 * (the last good data plane keeps serving, as a config NGINX refuses does), removed otherwise.
 */
import type { GatewayNode, GatewayStatusAddress, Graph, Snapshot } from '@portico/graph';
import type { GatewayIR } from '@portico/ir';
import type { KubeRest } from '@portico/kube';
import {
  dataPlaneName,
  desiredDataPlane,
  readableObjects,
  serviceAddresses,
  type DataPlaneEnvironment,
  type DataPlaneSettings,
  type GatewayInfo,
  type ReadableObjects,
  type ServiceAddressSource,
} from '@portico/provision';
import type { Logger } from '@portico/telemetry';
import { ensureDataPlane, ProvisionConflict, removeDataPlane } from './provision.ts';

export interface ProvisioningDeps {
  rest: KubeRest;
  environment: DataPlaneEnvironment;
}

export interface ProvisionResult {
  /** Set when the data plane cannot be made as desired: `Programmed=False` says why. */
  error?: string;
}

/** The settings of a Gateway's data plane; undefined while its parameters are invalid. */
export function gatewaySettings(node: GatewayNode): DataPlaneSettings | undefined {
  return node.dataPlane?.ok ? node.dataPlane.settings : undefined;
}

/**
 * The listeners the data plane's Service exposes: the Gateway's own, and those its admitted
 * ListenerSets add (served ones only: a conflicted set listener opens no port).
 */
export function dataPlaneListeners(node: GatewayNode): GatewayInfo['listeners'] {
  const fromSets = node.listeners.filter((l) => l.listenerSet !== undefined && l.served);
  return [...node.source.spec.listeners, ...fromSets.map((l) => l.source)].map((l) => ({
    port: l.port,
    protocol: l.protocol,
  }));
}

function gatewayInfo(node: GatewayNode, readable: ReadableObjects): GatewayInfo {
  const { metadata, spec } = node.source;
  const infrastructure = (spec as { infrastructure?: GatewayInfo['infrastructure'] })
    .infrastructure;
  return {
    namespace: metadata.namespace ?? '',
    name: metadata.name,
    uid: metadata.uid ?? '',
    listeners: dataPlaneListeners(node),
    // What the renderer will read: the Secrets and ConfigMaps its published IR names
    // (listener certificates, CA bundles of backends, the Gateway's backend client certificate).
    certificates: readable.secrets,
    configMaps: readable.configMaps,
    ...(infrastructure
      ? {
          infrastructure: {
            ...(infrastructure.labels ? { labels: infrastructure.labels } : {}),
            ...(infrastructure.annotations ? { annotations: infrastructure.annotations } : {}),
          },
        }
      : {}),
  };
}

/**
 * Keeps the Gateway's data plane as the graph says. `ir` is the IR just published for it: its
 * references decide which Secrets and ConfigMaps the data plane may read.
 */
export async function provisionGateway(
  graph: Graph,
  ref: { key: string; namespace: string; name: string },
  deps: ProvisioningDeps,
  logger: Logger,
  ir?: GatewayIR,
): Promise<ProvisionResult> {
  const node = graph.gateways.get(ref.key);
  const settings = node ? gatewaySettings(node) : undefined;
  if (node && settings === undefined) return {}; // invalid parameters: keep what runs
  if (!node || !node.accepted) {
    const deleted = await removeDataPlane(deps.rest, ref.namespace, ref.name);
    if (deleted.length > 0) logger.info({ deleted }, 'data plane removed');
    return {};
  }
  const desired = desiredDataPlane(
    gatewayInfo(node, readableObjects(ir)),
    settings as DataPlaneSettings,
    deps.environment,
  );
  if (!desired.ok) return { error: `cannot provision the data plane: ${desired.message}` };
  try {
    const written = await ensureDataPlane(
      deps.rest,
      { namespace: ref.namespace, name: ref.name },
      desired.objects,
    );
    if (written.length > 0) logger.info({ written }, 'data plane provisioned');
    return {};
  } catch (error) {
    if (error instanceof ProvisionConflict) return { error: error.message };
    throw error;
  }
}

/**
 * The Gateway's addresses: its data plane Service's (as the watcher mirrored it), else the
 * configured fallback (`PORTICO_GATEWAY_ADDRESSES`), which is all there is without
 * provisioning or before a load balancer answered.
 */
export function gatewayAddresses(
  snapshot: Snapshot,
  ref: { namespace: string; name: string },
  fallback: GatewayStatusAddress[],
): GatewayStatusAddress[] {
  const name = dataPlaneName(ref.name);
  const service = snapshot.services.find(
    (s) => s.metadata.name === name && s.metadata.namespace === ref.namespace,
  ) as ServiceAddressSource | undefined;
  const addresses = serviceAddresses(service);
  return addresses.length > 0 ? addresses : fallback;
}
