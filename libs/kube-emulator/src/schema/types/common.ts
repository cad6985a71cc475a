/**
 * Scalar types of Gateway API v1.6.1 (`apis/v1/shared_types.go`): names, hostnames, ports,
 * durations, header names. Each is a function so every use gets a fresh schema it may extend.
 */
import type { IntegerSchema, Obj, ObjectSchema, StringSchema } from '../dsl.ts';
import { array, integer, map, object, pattern, rule, string } from '../dsl.ts';

const DNS_LABELS = String.raw`[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*`;

export const PATTERNS = {
  dnsSubdomain: pattern(`^${DNS_LABELS}$`),
  dnsLabel: pattern('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'),
  group: pattern(`^$|^${DNS_LABELS}$`),
  kind: pattern('^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$'),
  hostname: pattern(String.raw`^(\*\.)?${DNS_LABELS}$`),
  controllerName: pattern(String.raw`^${DNS_LABELS}\/[A-Za-z0-9\/\-._~%!$&'()*+,;=:]+$`),
  duration: pattern('^([0-9]{1,5}(h|m|s|ms)){1,4}$'),
  headerName: pattern(String.raw`^[A-Za-z0-9!#$%&'*+\-.^_\x60|~]+$`),
  // The CRD's regex backtracks exponentially in JavaScript; this one accepts the same strings.
  headerValue: pattern(String.raw`^[!-~]+([\t ]?[!-~]+)*$`, /^[!-~]+(?:[\t ][!-~]+)*$/),
  absolutePath: pattern(String.raw`^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$`),
  protocol: pattern(
    String.raw`^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$|${DNS_LABELS}\/[A-Za-z0-9]+$`,
  ),
  addressType: pattern(
    String.raw`^Hostname|IPAddress|NamedAddress|${DNS_LABELS}\/[A-Za-z0-9\/\-._~%!$&'()*+,;=:]+$`,
  ),
} as const;

/** Gateway API `Group`: empty (core) or a DNS subdomain. */
export function group(defaultValue?: string): StringSchema {
  return string({ maxLength: 253, pattern: PATTERNS.group, default: defaultValue });
}

/** Gateway API `Kind`. */
export function kind(defaultValue?: string): StringSchema {
  return string({ minLength: 1, maxLength: 63, pattern: PATTERNS.kind, default: defaultValue });
}

/** Gateway API `ObjectName`. */
export function objectName(): StringSchema {
  return string({ minLength: 1, maxLength: 253 });
}

/** Gateway API `Namespace` (a DNS label). */
export function namespace(): StringSchema {
  return string({ minLength: 1, maxLength: 63, pattern: PATTERNS.dnsLabel });
}

/** `SectionName`, and the other names that are DNS subdomains (listener, rule names). */
export function sectionName(): StringSchema {
  return string({ minLength: 1, maxLength: 253, pattern: PATTERNS.dnsSubdomain });
}

/** `PortNumber`: 1-65535. */
export function portNumber(): IntegerSchema {
  return integer({ format: 'int32', minimum: 1, maximum: 65535 });
}

/** `Hostname`: a DNS name, optionally with a leading "*." wildcard label. */
export function hostname(): StringSchema {
  return string({ minLength: 1, maxLength: 253, pattern: PATTERNS.hostname });
}

/** `PreciseHostname`: a DNS name without wildcard. */
export function preciseHostname(): StringSchema {
  return string({ minLength: 1, maxLength: 253, pattern: PATTERNS.dnsSubdomain });
}

/** `GatewayController`: "example.net/gateway-controller". */
export function controllerName(): StringSchema {
  return string({ minLength: 1, maxLength: 253, pattern: PATTERNS.controllerName });
}

/** `Duration` in the Gateway API's restricted form ("1h", "500ms"). */
export function duration(): StringSchema {
  return string({ pattern: PATTERNS.duration });
}

/** `HTTPHeaderName` (also used for query parameter and CORS header names). */
export function headerName(): StringSchema {
  return string({ minLength: 1, maxLength: 256, pattern: PATTERNS.headerName });
}

/** Header values as the experimental channel constrains them (printable, single spaces). */
export function headerValue(): StringSchema {
  return string({ minLength: 1, maxLength: 4096, pattern: PATTERNS.headerValue });
}

/** Backend `weight`: 0-1,000,000, default 1. */
export function weight(): IntegerSchema {
  return integer({ format: 'int32', minimum: 0, maximum: 1_000_000, default: 1 });
}

/** `AllowedRoutes`/`AllowedListeners` namespace `selector`: a metav1.LabelSelector. */
export function labelSelector(): ObjectSchema {
  const requirement = object(
    { key: string(), operator: string(), values: array(string(), { listType: 'atomic' }) },
    { required: ['key', 'operator'] },
  );
  return object({
    matchExpressions: array(requirement, { listType: 'atomic' }),
    matchLabels: map(string()),
  });
}

/** `useDefaultGateways` of routes (experimental). */
export function gatewayDefaultScope(): StringSchema {
  return string({ enum: ['All', 'None'] });
}

/** "Rule name must be unique within the route", shared by every route kind's `rules`. */
export const uniqueRuleNames = rule<readonly unknown[]>(
  'Rule name must be unique within the route',
  (rules) => {
    const named = (rules as Obj[]).filter((r) => r.name !== undefined);
    return named.every((r1) => named.filter((r2) => r2.name === r1.name).length === 1);
  },
);
