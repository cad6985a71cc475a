/**
 * The tests of the upstream GATEWAY-HTTP profile (Gateway API v1.6.1): ShortName, whether the
 * profile counts it as core or extended, the features it needs beyond `Gateway`, and whether
 * upstream marks it provisional. Facts from the upstream suite (see
 * shared/reference/conformance-tests.md); the profile is judged against this list, so a test
 * without a scenario here still counts, as a failure.
 */
import type { Support } from './scenario.ts';

export interface CatalogueEntry {
  shortName: string;
  support: Support;
  features: string[];
  provisional: boolean;
}

type Row = [shortName: string, support: Support, features: string[], provisional?: true];

// prettier-ignore
const GATEWAY_HTTP_ROWS: Row[] = [
  ['BackendTLSPolicyConflictResolution', 'extended', ['HTTPRoute', 'BackendTLSPolicy']],
  ['BackendTLSPolicyInvalidCACertificateRef', 'extended', ['HTTPRoute', 'BackendTLSPolicy']],
  ['BackendTLSPolicyInvalidKind', 'extended', ['HTTPRoute', 'BackendTLSPolicy']],
  ['BackendTLSPolicyObservedGenerationBump', 'extended', ['HTTPRoute', 'BackendTLSPolicy']],
  ['BackendTLSPolicySANValidation', 'extended', ['HTTPRoute', 'BackendTLSPolicy', 'BackendTLSPolicySANValidation']],
  ['BackendTLSPolicy', 'extended', ['HTTPRoute', 'BackendTLSPolicy']],
  ['GatewayHTTPListenerIsolation', 'extended', ['GatewayHTTPListenerIsolation', 'HTTPRoute']],
  ['GatewayInfrastructure', 'extended', ['GatewayInfrastructurePropagation'], true],
  ['GatewayFrontendInvalidDefaultClientCertificateValidation', 'extended', ['HTTPRoute', 'GatewayFrontendClientCertificateValidation']],
  ['GatewayListenerUnsupportedProtocol', 'core', []],
  ['GatewayInvalidParametersRef', 'core', []],
  ['GatewayInvalidRouteKind', 'core', []],
  ['GatewayInvalidTLSBackendConfiguration', 'extended', ['GatewayBackendClientCertificate', 'HTTPRoute', 'BackendTLSPolicy']],
  ['GatewayInvalidTLSConfiguration', 'core', []],
  ['GatewayModifyListeners', 'core', []],
  ['GatewayObservedGenerationBump', 'core', []],
  ['GatewayOptionalAddressValue', 'extended', ['GatewayAddressEmpty'], true],
  ['GatewaySecretInvalidReferenceGrant', 'core', ['ReferenceGrant']],
  ['GatewaySecretMissingReferenceGrant', 'core', ['ReferenceGrant']],
  ['GatewaySecretReferenceGrantAllInNamespace', 'core', ['ReferenceGrant']],
  ['GatewaySecretReferenceGrantSpecific', 'core', ['ReferenceGrant']],
  ['GatewayStaticAddresses', 'extended', ['GatewayStaticAddresses']],
  ['GatewayTLSBackendClientCertificate', 'extended', ['GatewayBackendClientCertificate', 'HTTPRoute', 'BackendTLSPolicy']],
  ['GatewayWithAttachedRoutes', 'core', ['HTTPRoute']],
  ['GatewayWithAttachedRoutesWithPort8080', 'extended', ['GatewayPort8080', 'HTTPRoute']],
  ['GatewayFrontendClientCertificateValidationInsecureFallback', 'extended', ['HTTPRoute', 'GatewayFrontendClientCertificateValidation', 'GatewayFrontendClientCertificateValidationInsecureFallback']],
  ['GatewayFrontendClientCertificateValidation', 'extended', ['HTTPRoute', 'GatewayFrontendClientCertificateValidation']],
  ['GatewayInvalidFrontendClientCertificateValidation', 'extended', ['HTTPRoute', 'ReferenceGrant', 'GatewayFrontendClientCertificateValidation']],
  ['GatewayClassObservedGenerationBump', 'core', []],
  ['HTTPRoute303Redirect', 'extended', ['HTTPRoute', 'HTTPRoute303RedirectStatusCode'], true],
  ['HTTPRoute307Redirect', 'extended', ['HTTPRoute', 'HTTPRoute307RedirectStatusCode'], true],
  ['HTTPRoute308Redirect', 'extended', ['HTTPRoute', 'HTTPRoute308RedirectStatusCode'], true],
  ['HTTPRouteBackendProtocolH2C', 'extended', ['HTTPRoute', 'HTTPRouteBackendProtocolH2C']],
  ['HTTPRouteBackendProtocolWebSocket', 'extended', ['HTTPRoute', 'HTTPRouteBackendProtocolWebSocket']],
  ['HTTPRouteCORS', 'extended', ['HTTPRoute', 'HTTPRouteCORS']],
  ['HTTPRouteCrossNamespace', 'core', ['HTTPRoute']],
  ['HTTPRouteExactPathMatching', 'core', ['HTTPRoute']],
  ['HTTPRouteHeaderMatching', 'core', ['HTTPRoute']],
  ['HTTPRouteHostnameIntersection', 'core', ['HTTPRoute']],
  ['HTTPRouteHTTPSListenerDetectMisdirectedRequests', 'extended', ['GatewayHTTPSListenerDetectMisdirectedRequests', 'HTTPRoute']],
  ['HTTPRouteHTTPSListener', 'core', ['HTTPRoute']],
  ['HTTPRouteInvalidBackendRefUnknownKind', 'core', ['HTTPRoute']],
  ['HTTPRouteInvalidCrossNamespaceBackendRef', 'core', ['HTTPRoute', 'ReferenceGrant']],
  ['HTTPRouteInvalidCrossNamespaceParentRef', 'core', ['HTTPRoute']],
  ['HTTPRouteInvalidNonExistentBackendRef', 'core', ['HTTPRoute']],
  ['HTTPRouteInvalidParentRefNotMatchingListenerPort', 'extended', ['HTTPRoute', 'HTTPRouteDestinationPortMatching']],
  ['HTTPRouteInvalidParentRefNotMatchingSectionName', 'core', ['HTTPRoute']],
  ['HTTPRouteInvalidParentRefSectionNameNotMatchingPort', 'extended', ['HTTPRoute', 'HTTPRouteParentRefPort']],
  ['HTTPRouteInvalidReferenceGrant', 'core', ['HTTPRoute', 'ReferenceGrant']],
  ['HTTPRouteListenerHostnameMatching', 'core', ['HTTPRoute']],
  ['HTTPRouteListenerPortMatching', 'extended', ['HTTPRoute', 'HTTPRouteParentRefPort']],
  ['HTTPRouteMatchingAcrossRoutes', 'core', ['HTTPRoute']],
  ['HTTPRouteMatching', 'core', ['HTTPRoute']],
  ['HTTPRouteMethodMatching', 'extended', ['HTTPRoute', 'HTTPRouteMethodMatching']],
  ['HTTPRouteMultipleGateways', 'core', ['HTTPRoute']],
  ['HTTPRouteNamedRule', 'extended', ['HTTPRoute', 'HTTPRouteNamedRouteRule'], true],
  ['HTTPRouteObservedGenerationBump', 'core', ['HTTPRoute']],
  ['HTTPRouteNoBackendRefs', 'core', ['HTTPRoute']],
  ['HTTPRoutePartiallyInvalidViaInvalidReferenceGrant', 'core', ['HTTPRoute', 'ReferenceGrant']],
  ['HTTPRoutePathMatchOrder', 'core', ['HTTPRoute']],
  ['HTTPRouteQueryParamMatching', 'extended', ['HTTPRoute', 'HTTPRouteQueryParamMatching']],
  ['HTTPRouteRedirectHostAndStatus', 'core', ['HTTPRoute']],
  ['HTTPRouteRedirectPath', 'extended', ['HTTPRoute', 'HTTPRoutePathRedirect']],
  ['HTTPRouteRedirectPortAndScheme', 'extended', ['HTTPRoute', 'HTTPRoutePortRedirect', 'GatewayPort8080']],
  ['HTTPRouteRedirectPort', 'extended', ['HTTPRoute', 'HTTPRoutePortRedirect']],
  ['HTTPRouteRedirectScheme', 'extended', ['HTTPRoute', 'HTTPRouteSchemeRedirect']],
  ['HTTPRouteReferenceGrant', 'core', ['HTTPRoute', 'ReferenceGrant']],
  ['HTTPRouteRequestHeaderModifierBackendWeights', 'extended', ['HTTPRouteBackendRequestHeaderModification', 'HTTPRoute']],
  ['HTTPRouteBackendRequestHeaderModifier', 'extended', ['HTTPRoute', 'HTTPRouteBackendRequestHeaderModification']],
  ['HTTPRouteRequestHeaderModifier', 'core', ['HTTPRoute']],
  ['HTTPRouteRequestMirror', 'extended', ['HTTPRoute', 'HTTPRouteRequestMirror']],
  ['HTTPRouteRequestMultipleMirrors', 'extended', ['HTTPRoute', 'HTTPRouteRequestMirror', 'HTTPRouteRequestMultipleMirrors']],
  ['HTTPRouteRequestPercentageMirror', 'extended', ['HTTPRoute', 'HTTPRouteRequestPercentageMirror'], true],
  ['HTTPRouteResponseHeaderModifier', 'extended', ['HTTPRoute', 'HTTPRouteResponseHeaderModification']],
  ['HTTPRouteRetry', 'extended', ['HTTPRoute', 'HTTPRouteRetry']],
  ['HTTPRouteRewriteHost', 'extended', ['HTTPRoute', 'HTTPRouteHostRewrite']],
  ['HTTPRouteRewritePath', 'extended', ['HTTPRoute', 'HTTPRoutePathRewrite']],
  ['HTTPRouteServiceTypes', 'core', ['HTTPRoute']],
  ['HTTPRouteSimpleSameNamespace', 'core', ['HTTPRoute']],
  ['HTTPRouteTimeoutBackendRequest', 'extended', ['HTTPRoute', 'HTTPRouteBackendTimeout']],
  ['HTTPRouteTimeoutRequest', 'extended', ['HTTPRoute', 'HTTPRouteRequestTimeout']],
  ['HTTPRouteWeight', 'core', ['HTTPRoute']],
  ['ListenerSetAllowedNamespaceNone', 'extended', ['ListenerSet']],
  ['ListenerSetAllowedNamespaceSame', 'extended', ['ListenerSet']],
  ['ListenerSetAllowedNamespaceSelector', 'extended', ['ListenerSet']],
  ['ListenerSetAllowedRoutesNamespaces', 'extended', ['ListenerSet', 'HTTPRoute', 'ReferenceGrant']],
  ['ListenerSetDefaultNotAllowed', 'extended', ['ListenerSet']],
  ['ListenerSetDualParentRefIndependence', 'extended', ['ListenerSet', 'HTTPRoute']],
  ['ListenerSetGatewayParentSectionNameNotFound', 'extended', ['ListenerSet', 'HTTPRoute']],
  ['ListenerSetHostnameConflict', 'extended', ['ListenerSet']],
  ['ListenerSetHTTPRouting', 'extended', ['ListenerSet', 'HTTPRoute']],
  ['ListenerSetProtocolConflict', 'extended', ['ListenerSet']],
  ['ListenerSetReferenceGrant', 'extended', ['ListenerSet', 'ReferenceGrant']],
  ['ListenerSetRouteStatusScopedToParentRef', 'extended', ['ListenerSet', 'HTTPRoute']],
];

/** The GATEWAY-HTTP profile's tests, in catalogue order. */
export const GATEWAY_HTTP: CatalogueEntry[] = GATEWAY_HTTP_ROWS.map(
  ([shortName, support, features, provisional]) => ({
    shortName,
    support,
    features,
    provisional: provisional ?? false,
  }),
);

/** Features the GATEWAY-HTTP profile counts as core. */
export const GATEWAY_HTTP_CORE_FEATURES = ['Gateway', 'HTTPRoute', 'ReferenceGrant'];

/**
 * Features Portico does not claim in this line of work (issue 4 names them out of scope); a
 * test that needs one is skipped with this reason. Everything else runs, and fails if missing.
 */
export const UNCLAIMED_FEATURES: Record<string, string> = {
  BackendTLSPolicy: 'BackendTLSPolicy is not claimed yet (a later issue)',
  BackendTLSPolicySANValidation: 'BackendTLSPolicy is not claimed yet (a later issue)',
  GatewayBackendClientCertificate:
    'backend client certificates are not claimed yet (a later issue)',
  GatewayFrontendClientCertificateValidation:
    'client certificate validation is not claimed yet (a later issue)',
  GatewayFrontendClientCertificateValidationInsecureFallback:
    'client certificate validation is not claimed yet (a later issue)',
};
