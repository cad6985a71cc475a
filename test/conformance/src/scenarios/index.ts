/** Every scenario the harness has, by upstream ShortName. */
import type { Scenario } from '../scenario.ts';
import { GATEWAY_SCENARIOS } from './gateway.ts';
import { ADDRESS_SCENARIOS } from './gateway-addresses.ts';
import { gatewayInfrastructure } from './gateway-infrastructure.ts';
import { PORT_SCENARIOS } from './gateway-ports.ts';
import { hostnameIntersection } from './hostname-intersection.ts';
import { BASIC_SCENARIOS } from './httproute-basic.ts';
import { FILTER_SCENARIOS } from './httproute-filters.ts';
import { EXTENDED_FILTER_SCENARIOS } from './httproute-filters-extended.ts';
import { INVALID_SCENARIOS } from './httproute-invalid.ts';
import { ISOLATION_SCENARIOS } from './listener-isolation.ts';
import { MATCHING_SCENARIOS } from './httproute-matching.ts';
import { EXTENDED_MATCHING_SCENARIOS } from './httproute-matching-extended.ts';
import { REWRITE_SCENARIOS } from './httproute-rewrite.ts';
import { TIMEOUT_SCENARIOS } from './httproute-timeouts.ts';
import { namedRule } from './httproute-named-rule.ts';
import { LISTENERSET_ROUTING_SCENARIOS } from './listenerset-routing.ts';
import { LISTENERSET_STATUS_SCENARIOS } from './listenerset-status.ts';
import { EXTENDED_2_SCENARIOS } from './httproute-extended-2.ts';
import { TLS_SCENARIOS } from './tls.ts';
import { BACKEND_TLS_SCENARIOS } from './backend-tls.ts';
import { backendTlsSanValidation } from './backend-tls-san.ts';
import { BACKEND_CLIENT_CERT_SCENARIOS } from './gateway-backend-client-cert.ts';
import { FRONTEND_TLS_SCENARIOS } from './frontend-tls.ts';
import { TCPROUTE_SCENARIOS } from './tcproute.ts';
import { UDPROUTE_SCENARIOS } from './udproute.ts';
import { TLSROUTE_TRAFFIC_SCENARIOS } from './tlsroute.ts';
import { TLSROUTE_STATUS_SCENARIOS } from './tlsroute-status.ts';
import { GRPCROUTE_SCENARIOS } from './grpcroute.ts';

export const SCENARIOS: Scenario[] = [
  ...GATEWAY_SCENARIOS,
  gatewayInfrastructure,
  ...PORT_SCENARIOS,
  ...ADDRESS_SCENARIOS,
  ...ISOLATION_SCENARIOS,
  ...BASIC_SCENARIOS,
  hostnameIntersection,
  ...INVALID_SCENARIOS,
  ...MATCHING_SCENARIOS,
  ...EXTENDED_MATCHING_SCENARIOS,
  ...FILTER_SCENARIOS,
  ...EXTENDED_FILTER_SCENARIOS,
  ...REWRITE_SCENARIOS,
  ...TIMEOUT_SCENARIOS,
  namedRule,
  ...LISTENERSET_STATUS_SCENARIOS,
  ...LISTENERSET_ROUTING_SCENARIOS,
  ...EXTENDED_2_SCENARIOS,
  ...TLS_SCENARIOS,
  ...BACKEND_TLS_SCENARIOS,
  backendTlsSanValidation,
  ...BACKEND_CLIENT_CERT_SCENARIOS,
  ...FRONTEND_TLS_SCENARIOS,
  ...TCPROUTE_SCENARIOS,
  ...UDPROUTE_SCENARIOS,
  ...TLSROUTE_TRAFFIC_SCENARIOS,
  ...TLSROUTE_STATUS_SCENARIOS,
  ...GRPCROUTE_SCENARIOS,
];
