/**
 * Checks on IR values before they are written. The graph validated them already; the renderer
 * checks again because a broken nginx.conf (or an injected directive) must be impossible
 * whatever the IR says. Each check returns the value in the form NGINX needs or throws a
 * RenderError naming the field.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { RenderError } from './errors.ts';

/** Gateway API hostname pattern (the CRDs' `Hostname`), wildcard allowed on the left. */
const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** RFC 1123 subdomain: Kubernetes object names and namespaces. */
const K8S_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Ids and upstream names of the IR: safe as NGINX variable and upstream names. */
const IR_ID = /^[a-z0-9_]+$/;
/** The characters the Gateway API allows in a path (before percent-decoding). */
const HTTP_PATH = /^\/(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})*$/;

function check(ok: boolean, field: string, reason: string): void {
  if (!ok) throw new RenderError(field, reason);
}

/** A virtual host name; `*` (any host) is handled by the caller and refused here. */
export function checkHostname(value: string, field: string): string {
  check(value.length <= 253 && HOSTNAME.test(value), field, 'not a valid Gateway API hostname');
  return value;
}

/** A Kubernetes namespace or object name. */
export function checkK8sName(value: string, field: string): string {
  check(value.length <= 253 && K8S_NAME.test(value), field, 'not a valid Kubernetes name');
  return value;
}

/** An IR id or upstream name (`[a-z0-9_]+`), used inside NGINX variable and upstream names. */
export function checkId(value: string, field: string): string {
  check(value.length <= 200 && IR_ID.test(value), field, 'not an id of the form [a-z0-9_]+');
  return value;
}

/** A TCP port, after any offset was added. */
export function checkPort(value: number, field: string): number {
  check(
    Number.isInteger(value) && value >= 1 && value <= 65535,
    field,
    `port ${value} out of range`,
  );
  return value;
}

/**
 * A request path as NGINX compares it: locations match the percent-decoded URI, so the
 * Gateway API value is decoded here (`/a%20b` matches the request `/a%20b` in NGINX only as
 * `/a b`). Refused: values outside the Gateway API path syntax and bad escapes.
 */
export function checkPath(value: string, field: string): string {
  check(value.length <= 1024 && HTTP_PATH.test(value), field, 'not a valid HTTP path');
  try {
    return decodeURIComponent(value);
  } catch {
    throw new RenderError(field, 'percent-encoding is not valid UTF-8');
  }
}

/** An endpoint as an NGINX `server` address: IPv4 `a.b.c.d:port`, IPv6 `[addr]:port`. */
export function endpointAddress(address: string, port: number, field: string): string {
  checkPort(port, `${field}.port`);
  if (isIPv4(address)) return `${address}:${port}`;
  if (isIPv6(address) && !address.includes('%')) return `[${address}]:${port}`;
  throw new RenderError(`${field}.address`, 'not an IP address');
}
