/**
 * The second set of extended HTTPRoute scenarios (issue 4): port and scheme redirects,
 * backend-level header modifiers, mirrors, CORS, retries and backend protocols.
 */
import type { Scenario } from '../scenario.ts';
import {
  backendRequestHeaderModifier,
  headerModifierBackendWeights,
} from './httproute-backend-filters.ts';
import { backendProtocolH2c } from './httproute-backend-h2c.ts';
import { backendProtocolWebSocket } from './httproute-backend-protocol.ts';
import { httpRouteCors } from './httproute-cors.ts';
import {
  requestMirror,
  requestMultipleMirrors,
  requestPercentageMirror,
} from './httproute-mirror.ts';
import { redirectPortAndScheme } from './httproute-redirect-port-scheme.ts';
import { httpRouteRetry } from './httproute-retry.ts';

export const EXTENDED_2_SCENARIOS: Scenario[] = [
  redirectPortAndScheme,
  backendRequestHeaderModifier,
  headerModifierBackendWeights,
  requestMirror,
  requestMultipleMirrors,
  requestPercentageMirror,
  httpRouteCors,
  httpRouteRetry,
  backendProtocolWebSocket,
  backendProtocolH2c,
];
