/**
 * Validators (invariant 7): every user value that can reach nginx.conf is checked against an
 * explicit pattern before it enters the IR. A validator returns a problem message, or
 * undefined when the value is fine; the graph turns the message into the condition of the
 * object that carried the value. Injected through `deps` so a test or a stricter data plane
 * can swap them.
 */
import { isIPv4, isIPv6 } from 'node:net';

export interface Validators {
  /** Listener and route hostnames: RFC 1123 names, optionally with a leading `*.`. */
  hostname(value: string): string | undefined;
  /** `Exact` and `PathPrefix` path values. */
  pathValue(value: string): string | undefined;
  /** EndpointSlice addresses, checked against the slice's `addressType`. */
  endpointAddress(value: string, addressType: string): string | undefined;
  /** Listener, Service and endpoint ports. */
  port(value: number): string | undefined;
  /** backendRef weights. */
  weight(value: number): string | undefined;
}

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DOTTED_QUAD = /^[0-9]+(\.[0-9]+){3}$/;

function hostname(value: string): string | undefined {
  const name = value.startsWith('*.') ? value.slice(2) : value;
  if (name.length === 0 || value.length > 253) return `invalid hostname "${value}"`;
  if (DOTTED_QUAD.test(name)) return `hostname "${value}" is an IP address`;
  const badLabel = name.split('.').find((label) => label.length > 63 || !LABEL.test(label));
  return badLabel === undefined ? undefined : `invalid hostname "${value}": RFC 1123 names only`;
}

// RFC 3986 path characters, minus the ones NGINX treats specially or that quote/escape:
// no whitespace, quotes, `{`, `}`, `;`, `$`, `\`, `#`, `?` or control characters.
const PATH = /^\/(?:[A-Za-z0-9\-._~!&()*+,=:@/]|%[0-9A-Fa-f]{2})*$/;
// Sequences the Gateway API CRD also refuses, because they make matching ambiguous.
const PATH_SEQUENCES = /\/\/|\/\.\.?(\/|$)|%2f/i;

function pathValue(value: string): string | undefined {
  if (value.length > 1024) return `path "${value.slice(0, 32)}..." is longer than 1024`;
  if (!PATH.test(value)) return `path "${value}" must start with "/" and use RFC 3986 characters`;
  if (PATH_SEQUENCES.test(value)) return `path "${value}" has "//", "/./", "/../" or "%2F"`;
  return undefined;
}

function endpointAddress(value: string, addressType: string): string | undefined {
  if (addressType === 'IPv4' && isIPv4(value)) return undefined;
  if (addressType === 'IPv6' && isIPv6(value)) return undefined;
  return `address "${value}" is not a valid ${addressType} address`;
}

function port(value: number): string | undefined {
  return Number.isInteger(value) && value >= 1 && value <= 65535
    ? undefined
    : `port ${value} is not in 1-65535`;
}

function weight(value: number): string | undefined {
  return Number.isInteger(value) && value >= 0 && value <= 1_000_000
    ? undefined
    : `weight ${value} is not in 0-1000000`;
}

/** The validators Portico uses in production. */
export const defaultValidators: Validators = { hostname, pathValue, endpointAddress, port, weight };
