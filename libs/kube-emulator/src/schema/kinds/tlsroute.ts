/**
 * TLSRoute (v1 and v1alpha3; v1alpha2 on the experimental channel): route TLS connections by
 * SNI. From v1alpha3 on, `hostnames` is required and may not hold IP addresses.
 */
import { isIP } from 'node:net';
import type { ObjectSchema } from '../dsl.ts';
import { array, object, rule } from '../dsl.ts';
import { gatewayDefaultScope, hostname } from '../types/common.ts';
import { l4Rules } from '../types/l4route.ts';
import { parentRefs } from '../types/refs.ts';
import { routeStatus } from '../types/status.ts';
import type { KindSchemas } from './root.ts';
import { root } from './root.ts';

const RFC1123 = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)$/;

const hostnameRules = [
  rule<readonly unknown[]>('Hostnames cannot contain an IP', (hs) =>
    hs.every((h) => isIP(String(h)) === 0),
  ),
  rule<readonly unknown[]>('Hostnames must be valid based on RFC-1123', (hs) =>
    hs.every((h) => String(h).includes('*') || RFC1123.test(String(h))),
  ),
  rule<readonly unknown[]>(
    'Wildcards on hostnames must be the first label, and the rest of hostname must be valid based on RFC-1123',
    (hs) =>
      hs.every((h) => {
        const text = String(h);
        return !text.includes('*') || (text.startsWith('*.') && RFC1123.test(text.slice(2)));
      }),
  ),
];

function spec(version: 'v1' | 'v1alpha2'): ObjectSchema {
  const hostnames =
    version === 'v1'
      ? array(hostname(), { minItems: 1, maxItems: 1024, listType: 'atomic', rules: hostnameRules })
      : array(hostname(), { maxItems: 1024, listType: 'atomic' });
  return object(
    {
      hostnames,
      parentRefs: parentRefs(),
      rules: l4Rules(version),
      useDefaultGateways: gatewayDefaultScope(),
    },
    { required: version === 'v1' ? ['hostnames', 'rules'] : ['rules'] },
  );
}

export const tlsRoute: KindSchemas = {
  group: 'gateway.networking.k8s.io',
  kind: 'TLSRoute',
  versions: {
    v1: root(spec('v1'), routeStatus()),
    v1alpha3: root(spec('v1'), routeStatus()),
    v1alpha2: root(spec('v1alpha2'), routeStatus()),
  },
};
