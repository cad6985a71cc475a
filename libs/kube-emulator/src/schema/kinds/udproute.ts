/** UDPRoute (v1; v1alpha2 on the experimental channel): forward a UDP listener to backends. */
import { l4RouteSpec } from '../types/l4route.ts';
import { routeStatus } from '../types/status.ts';
import type { KindSchemas } from './root.ts';
import { root } from './root.ts';

export const udpRoute: KindSchemas = {
  group: 'gateway.networking.k8s.io',
  kind: 'UDPRoute',
  versions: {
    v1: root(l4RouteSpec('v1'), routeStatus()),
    v1alpha2: root(l4RouteSpec('v1alpha2'), routeStatus()),
  },
};
