/**
 * The GATEWAY-TCP tests (TCPRoute*): status of invalid references and listeners, attachment
 * by sectionName, port or to every listener, several routes on one listener (the oldest gets
 * the connections), ReferenceGrant, and weights, with real TCP connections (`node:net`)
 * through the Gateway's data plane to local TCP echo pods. The shapes, shared with the
 * UDPRoute tests, are in stream-scenarios.ts and stream-status-scenarios.ts.
 */
import { ref, WEB } from '../builders.ts';
import type { Scenario } from '../scenario.ts';
import {
  attachAllListeners,
  multipleRoutesAttachment,
  portAndSectionName,
  referenceGrantScenario,
  TCP,
  weightedRouting,
} from './stream-scenarios.ts';
import {
  invalidBackendNonexistent,
  invalidCrossNamespace,
  notAllowedByListeners,
} from './stream-status-scenarios.ts';

export const TCPROUTE_SCENARIOS: Scenario[] = [
  invalidBackendNonexistent(TCP, 9300),
  invalidCrossNamespace(TCP, {
    gateway: 'tcp-invalid-cross-namespace-backend-ref-gateway',
    port: 9321,
    route: 'tcp-invalid-cross-namespace-backend-ref',
    backend: ref(WEB, 'tcp-invalid-xns-backend'),
    deployed: true,
  }),
  notAllowedByListeners(TCP, {
    shortName: 'TCPRouteInvalidNonTCPListener',
    description:
      'A TCPRoute naming an HTTP listener (which allows only HTTPRoute): Accepted False NotAllowedByListeners, no route attached.',
    gateway: 'tcp-mixed-protocol-gateway',
    listener: {
      name: 'only-allow-http-routes',
      protocol: 'HTTP',
      port: 5300,
      kinds: [{ kind: 'HTTPRoute' }],
    },
    route: 'tcp-route',
    backend: { name: 'tcp-echo-backend', port: 8080 },
  }),
  multipleRoutesAttachment(TCP, 9310, 100),
  attachAllListeners(TCP, {
    shortName: 'TCPRouteParentRefAttachAll',
    gateway: 'tcp-attach-all-gateway',
    listeners: [
      ['one', 9310],
      ['two', 9311],
      ['three', 9312],
      ['four', 9313],
    ],
  }),
  portAndSectionName(TCP, ['one', 'two', 'three'], 9300),
  referenceGrantScenario(TCP, {
    backend: ref(WEB, 'tcp-reference-grant-backend'),
    grant: 'tcp-reference-grant',
    gateway: 'tcp-reference-grant-gateway',
    port: 9320,
    route: 'tcp-reference-grant',
  }),
  weightedRouting(TCP, 9300),
];
