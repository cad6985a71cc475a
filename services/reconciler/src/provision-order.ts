/**
 * Whether a reconcile must provision the data plane before it publishes the IR.
 *
 * Provisioning first exists for one reason: the data plane's Role must let the renderer read
 * every Secret and ConfigMap a new IR names before the renderer sees that IR (else its first
 * apply fails with 403 until a resync). Provisioning reads every data-plane object back from
 * the API server (a handful of round trips), which is worth keeping off the path of a change
 * whose IR names nothing new: a route added to a Gateway with 1,000 others. So each worker
 * remembers, per Gateway, the objects the last successful provisioning let the data plane
 * read; when the new IR names the same ones, the IR goes out first and provisioning (which
 * still runs every time, healing drift) follows.
 */
import type { GatewayIR } from '@portico/ir';
import { readableObjects } from '@portico/provision';

/** A canonical text of what `ir` makes the data plane read. */
export function readableKey(ir: GatewayIR | undefined): string {
  const { secrets, configMaps } = readableObjects(ir);
  const names = (refs: { namespace: string; name: string }[]) =>
    [...new Set(refs.map((r) => `${r.namespace}/${r.name}`))].sort();
  return JSON.stringify({ secrets: names(secrets), configMaps: names(configMaps) });
}

export class ProvisionedReads {
  private readonly granted = new Map<string, string>();

  /** True unless the last successful provisioning of `gatewayKey` granted exactly `readable`. */
  mustPrecedePublish(gatewayKey: string, readable: string): boolean {
    return this.granted.get(gatewayKey) !== readable;
  }

  /** After a successful provisioning that granted `readable`. */
  remember(gatewayKey: string, readable: string): void {
    this.granted.set(gatewayKey, readable);
  }

  /** After a failed one, or when the Gateway left: provision first next time. */
  forget(gatewayKey: string): void {
    this.granted.delete(gatewayKey);
  }
}
