/**
 * Endpoints of a Service port, read from its EndpointSlices: the ready addresses (a
 * `ready` condition that is not false, as kube-proxy reads it), on the slice port whose name
 * matches the Service port's name. Addresses failing validation are skipped: they would reach
 * nginx.conf (invariant 7).
 */
import type { EndpointIR } from '@portico/ir';
import { compareStrings } from './keys.ts';
import type { EndpointSlice, ServicePort } from './resources.ts';
import type { Validators } from './validation.ts';

/** Ready endpoints of `servicePort`, de-duplicated and sorted by address then port. */
export function readyEndpoints(
  slices: readonly EndpointSlice[],
  servicePort: ServicePort,
  validators: Validators,
): EndpointIR[] {
  const found = new Map<string, EndpointIR>();
  for (const slice of slices) {
    const port = slice.ports?.find((p) => (p.name ?? '') === (servicePort.name ?? ''))?.port;
    if (port === undefined || validators.port(port) !== undefined) continue;
    for (const endpoint of slice.endpoints ?? []) {
      if (endpoint.conditions?.ready === false) continue;
      for (const address of endpoint.addresses) {
        if (validators.endpointAddress(address, slice.addressType) !== undefined) continue;
        found.set(`${address}|${port}`, { address, port });
      }
    }
  }
  return [...found.values()].sort(
    (a, b) => compareStrings(a.address, b.address) || a.port - b.port,
  );
}
