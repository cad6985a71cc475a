/**
 * The data plane's PodDisruptionBudget: with more than one replica, voluntary disruptions
 * (node drains, cluster upgrades) take at most one pod at a time, so a Gateway keeps serving
 * through them. With one replica there is none: a budget of `maxUnavailable: 0` would block
 * every drain, and one replica cannot survive a drain anyway.
 */
import { dataPlaneName } from './names.ts';
import {
  metadata,
  selectorLabels,
  stamped,
  type GatewayInfo,
  type ProvisionedObject,
} from './objects.ts';
import type { DataPlaneSettings } from './parameters.ts';

/** The budget for `settings.replicas` pods, or undefined when there should be none. */
export function disruptionBudget(
  gateway: GatewayInfo,
  settings: DataPlaneSettings,
): ProvisionedObject | undefined {
  if (settings.replicas <= 1) return undefined;
  return stamped({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: metadata(gateway, dataPlaneName(gateway.name)),
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(gateway) } },
  });
}
