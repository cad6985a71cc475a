/** TCPRoute (v1; v1alpha2 on the experimental channel): forward a TCP listener to backends. */
import { l4RouteSpec } from '../types/l4route.ts';
import { routeStatus } from '../types/status.ts';
import type { KindSchemas } from './root.ts';
import { root } from './root.ts';

export const tcpRoute: KindSchemas = {
  group: 'gateway.networking.k8s.io',
  kind: 'TCPRoute',
  versions: {
    v1: root(l4RouteSpec('v1'), routeStatus()),
    v1alpha2: root(l4RouteSpec('v1alpha2'), routeStatus()),
  },
};
