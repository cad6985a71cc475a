/**
 * The references index: which Gateways each Service and Secret matters to, recorded whether
 * or not the object exists, so a Service created later is noticed (NGF `IsReferenced`).
 */
import { isServiceRef } from './backends.ts';
import { gatewayTlsSecrets, gatewayTlsSpec } from './gateway-tls.ts';
import { namespaceOf } from './keys.ts';
import { ownerNamespace } from './listenerset.ts';
import type { GatewayNode, References, RouteNode } from './types.ts';

function add(index: Map<string, Set<string>>, key: string, gateway: string): void {
  index.set(key, (index.get(key) ?? new Set<string>()).add(gateway));
}

/** Services named by routes (for each of their Gateways) and Secrets named by listeners. */
export function recordReferences(
  routes: ReadonlyMap<string, RouteNode>,
  gateways: ReadonlyMap<string, GatewayNode>,
): References {
  const services = new Map<string, Set<string>>();
  const secrets = new Map<string, Set<string>>();
  for (const route of routes.values()) {
    const routeNamespace = namespaceOf(route.source.metadata);
    for (const rule of route.source.spec.rules ?? []) {
      const mirrors = (rule.filters ?? []).flatMap((f) =>
        f.requestMirror === undefined ? [] : [f.requestMirror.backendRef],
      );
      for (const ref of [...(rule.backendRefs ?? []), ...mirrors]) {
        if (!isServiceRef(ref)) continue;
        const key = `${ref.namespace ?? routeNamespace}/${ref.name}`;
        for (const parent of route.parents) add(services, key, parent.gatewayKey);
      }
    }
  }
  for (const gateway of gateways.values()) {
    const namespace = namespaceOf(gateway.source.metadata);
    for (const secret of gatewayTlsSecrets(gatewayTlsSpec(gateway), namespace))
      add(secrets, secret, gateway.key);
    for (const listener of gateway.listeners) {
      for (const ref of listener.source.tls?.certificateRefs ?? []) {
        if ((ref.kind ?? 'Secret') !== 'Secret' || (ref.group ?? '') !== '') continue;
        const at = ref.namespace ?? ownerNamespace(listener, namespace);
        add(secrets, `${at}/${ref.name}`, gateway.key);
      }
    }
  }
  return { services, secrets };
}
