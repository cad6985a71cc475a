/**
 * The smallest graph a BackendTLSPolicy test needs around its policy: GatewayClass `portico`,
 * Gateway default/gw with one HTTP listener, and HTTPRoute default/r to Service `secure` port
 * 443 (the Service a policy targets; each test adds it, or not, with what it varies).
 */
import type { SnapshotObject } from '../../src/index.ts';

export const CONTROLLER_NAME = 'portico.dev/gateway-controller';

export const ROUTE_TO_SECURE: readonly SnapshotObject[] = [
  {
    kind: 'GatewayClass',
    metadata: { name: 'portico' },
    spec: { controllerName: CONTROLLER_NAME },
  },
  {
    kind: 'Gateway',
    metadata: { name: 'gw', namespace: 'default' },
    spec: {
      gatewayClassName: 'portico',
      listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }],
    },
  },
  {
    kind: 'HTTPRoute',
    metadata: { name: 'r', namespace: 'default' },
    spec: {
      parentRefs: [{ name: 'gw' }],
      rules: [{ backendRefs: [{ name: 'secure', port: 443 }] }],
    },
  },
];
