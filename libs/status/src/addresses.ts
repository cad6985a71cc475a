/**
 * Gateway addresses (Gateway API `spec.addresses`, GatewayStaticAddresses and
 * GatewayAddressEmpty). The data plane knows which addresses it can serve on (in local mode
 * 127.0.0.1; in a cluster its Service's). Without `spec.addresses` the Gateway gets those.
 * With them, each requested IP must be one of them, else `Programmed` is False with
 * `AddressNotUsable`; an entry without a value asks us to pick one of the type. While the data
 * plane has no address of the type yet (a load balancer takes time), a request is neither
 * usable nor not: it is unassigned, `Programmed` False `AddressNotAssigned` (Gateway API: "none
 * of the requested addresses have been assigned"), which the next reconcile clears. Types other
 * than IPAddress were already refused by the graph (`Accepted` False, `UnsupportedAddress`).
 */
import type { Gateway, GatewayStatusAddress } from '@portico/graph';

export interface AddressAssignment {
  /** What `status.addresses` says, each with a `type` (invariant 8). */
  addresses: Required<GatewayStatusAddress>[];
  /** Requested values the data plane cannot serve on, in spec order. */
  unusable: string[];
  /** Requests waiting for the data plane's first address of their type, in spec order. */
  unassigned: string[];
}

const IP = 'IPAddress';

/** The addresses to report for `gateway`, given the ones the data plane can use. */
export function assignAddresses(
  gateway: Gateway,
  usable: readonly GatewayStatusAddress[],
): AddressAssignment {
  const available = usable.map((a) => ({ type: a.type ?? IP, value: a.value }));
  const requested = gateway.spec.addresses ?? [];
  if (requested.length === 0) return { addresses: available, unusable: [], unassigned: [] };
  const addresses: Required<GatewayStatusAddress>[] = [];
  const unusable: string[] = [];
  const unassigned: string[] = [];
  const add = (address: Required<GatewayStatusAddress>): void => {
    if (!addresses.some((a) => a.type === address.type && a.value === address.value))
      addresses.push(address);
  };
  for (const entry of requested) {
    const type = entry.type ?? IP;
    if (type !== IP) continue; // refused by the graph already
    const pick = available.find((a) => a.type === type);
    if (pick === undefined) {
      unassigned.push(entry.value || `(any ${type})`);
      continue;
    }
    if (entry.value === undefined || entry.value === '') {
      add(pick);
      continue;
    }
    const match = available.find((a) => a.type === type && sameIp(a.value, entry.value ?? ''));
    if (match === undefined) unusable.push(entry.value);
    else add({ type, value: entry.value });
  }
  return { addresses, unusable, unassigned };
}

/** IPv6 spellings differ (`::1` vs `0:0::1`); compare IPv4 and lowercase IPv6 text. */
function sameIp(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
