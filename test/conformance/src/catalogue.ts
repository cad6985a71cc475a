/**
 * The tests of the upstream gateway profiles (Gateway API v1.6.1: GATEWAY-HTTP, GATEWAY-TLS,
 * GATEWAY-GRPC, GATEWAY-TCP, GATEWAY-UDP): ShortName, the features it needs beyond `Gateway`,
 * whether upstream marks it provisional, and in which profiles it counts as core or extended.
 * Facts from the upstream suite (see shared/reference/conformance-tests.md and upstream
 * `conformance/utils/suite/profiles.go`: a test belongs to a profile when every feature it
 * needs is among the profile's core or extended features); a profile is judged against this
 * list, so a test without a scenario here still counts, as a failure.
 */
import type { Profile, Support } from './scenario.ts';

export interface CatalogueEntry {
  shortName: string;
  support: Support;
  features: string[];
  provisional: boolean;
}

/** The tests of one profile and the features upstream counts as its core. */
export interface ProfileCatalogue {
  tests: CatalogueEntry[];
  coreFeatures: string[];
}

type Membership = Partial<Record<Profile, Support>>;

const HTTP_CORE: Membership = { 'GATEWAY-HTTP': 'core' };
const HTTP_EXTENDED: Membership = { 'GATEWAY-HTTP': 'extended' };
const TLS_CORE: Membership = { 'GATEWAY-TLS': 'core' };
const TLS_EXTENDED: Membership = { 'GATEWAY-TLS': 'extended' };
const GRPC_CORE: Membership = { 'GATEWAY-GRPC': 'core' };
const TCP_CORE: Membership = { 'GATEWAY-TCP': 'core' };
const UDP_CORE: Membership = { 'GATEWAY-UDP': 'core' };
/** Gateway tests that need no route kind: every gateway profile counts them. */
const EVERY_CORE: Membership = {
  'GATEWAY-HTTP': 'core',
  'GATEWAY-TLS': 'core',
  'GATEWAY-GRPC': 'core',
  'GATEWAY-TCP': 'core',
  'GATEWAY-UDP': 'core',
};
const EVERY_EXTENDED: Membership = {
  'GATEWAY-HTTP': 'extended',
  'GATEWAY-TLS': 'extended',
  'GATEWAY-GRPC': 'extended',
  'GATEWAY-TCP': 'extended',
  'GATEWAY-UDP': 'extended',
};
/**
 * GRPCRouteNamedRule: upstream v1.6.1 puts it in no profile (GRPCRouteNamedRouteRule is not
 * among GATEWAY-GRPC's extended features until after v1.6.1). Portico runs and reports it as
 * an extended test of GATEWAY-GRPC, where later upstream versions count it.
 */
const GRPC_EXT: Membership = { 'GATEWAY-GRPC': 'extended' };

type Row = [shortName: string, profiles: Membership, features: string[], provisional?: true];

// prettier-ignore
const ROWS: Row[] = [
  ['BackendTLSPolicyConflictResolution', HTTP_EXTENDED, ['HTTPRoute', 'BackendTLSPolicy']],
  ['BackendTLSPolicyInvalidCACertificateRef', HTTP_EXTENDED, ['HTTPRoute', 'BackendTLSPolicy']],
  ['BackendTLSPolicyInvalidKind', HTTP_EXTENDED, ['HTTPRoute', 'BackendTLSPolicy']],
  ['BackendTLSPolicyObservedGenerationBump', HTTP_EXTENDED, ['HTTPRoute', 'BackendTLSPolicy']],
  ['BackendTLSPolicySANValidation', HTTP_EXTENDED, ['HTTPRoute', 'BackendTLSPolicy', 'BackendTLSPolicySANValidation']],
  ['BackendTLSPolicy', HTTP_EXTENDED, ['HTTPRoute', 'BackendTLSPolicy']],
  ['GatewayHTTPListenerIsolation', HTTP_EXTENDED, ['GatewayHTTPListenerIsolation', 'HTTPRoute']],
  ['GatewayInfrastructure', EVERY_EXTENDED, ['GatewayInfrastructurePropagation'], true],
  ['GatewayFrontendInvalidDefaultClientCertificateValidation', HTTP_EXTENDED, ['HTTPRoute', 'GatewayFrontendClientCertificateValidation']],
  ['GatewayListenerUnsupportedProtocol', EVERY_CORE, []],
  ['GatewayInvalidParametersRef', EVERY_CORE, []],
  ['GatewayInvalidRouteKind', EVERY_CORE, []],
  ['GatewayInvalidTLSBackendConfiguration', HTTP_EXTENDED, ['GatewayBackendClientCertificate', 'HTTPRoute', 'BackendTLSPolicy']],
  ['GatewayInvalidTLSConfiguration', EVERY_CORE, []],
  ['GatewayModifyListeners', EVERY_CORE, []],
  ['GatewayObservedGenerationBump', EVERY_CORE, []],
  ['GatewayOptionalAddressValue', EVERY_EXTENDED, ['GatewayAddressEmpty'], true],
  ['GatewaySecretInvalidReferenceGrant', EVERY_CORE, ['ReferenceGrant']],
  ['GatewaySecretMissingReferenceGrant', EVERY_CORE, ['ReferenceGrant']],
  ['GatewaySecretReferenceGrantAllInNamespace', EVERY_CORE, ['ReferenceGrant']],
  ['GatewaySecretReferenceGrantSpecific', EVERY_CORE, ['ReferenceGrant']],
  ['GatewayStaticAddresses', EVERY_EXTENDED, ['GatewayStaticAddresses']],
  ['GatewayTLSBackendClientCertificate', HTTP_EXTENDED, ['GatewayBackendClientCertificate', 'HTTPRoute', 'BackendTLSPolicy']],
  ['GatewayWithAttachedRoutes', HTTP_CORE, ['HTTPRoute']],
  ['GatewayWithAttachedRoutesWithPort8080', HTTP_EXTENDED, ['GatewayPort8080', 'HTTPRoute']],
  ['GatewayFrontendClientCertificateValidationInsecureFallback', HTTP_EXTENDED, ['HTTPRoute', 'GatewayFrontendClientCertificateValidation', 'GatewayFrontendClientCertificateValidationInsecureFallback']],
  ['GatewayFrontendClientCertificateValidation', HTTP_EXTENDED, ['HTTPRoute', 'GatewayFrontendClientCertificateValidation']],
  ['GatewayInvalidFrontendClientCertificateValidation', HTTP_EXTENDED, ['HTTPRoute', 'ReferenceGrant', 'GatewayFrontendClientCertificateValidation']],
  ['GatewayClassObservedGenerationBump', EVERY_CORE, []],
  ['GRPCExactMethodMatching', GRPC_CORE, ['GRPCRoute']],
  ['GRPCRouteHeaderMatching', GRPC_CORE, ['GRPCRoute']],
  ['GRPCRouteListenerHostnameMatching', GRPC_CORE, ['GRPCRoute']],
  ['GRPCRouteNamedRule', GRPC_EXT, ['GRPCRoute', 'GRPCRouteNamedRouteRule'], true],
  ['GRPCRouteWeight', GRPC_CORE, ['GRPCRoute']],
  ['HTTPRoute303Redirect', HTTP_EXTENDED, ['HTTPRoute', 'HTTPRoute303RedirectStatusCode'], true],
  ['HTTPRoute307Redirect', HTTP_EXTENDED, ['HTTPRoute', 'HTTPRoute307RedirectStatusCode'], true],
  ['HTTPRoute308Redirect', HTTP_EXTENDED, ['HTTPRoute', 'HTTPRoute308RedirectStatusCode'], true],
  ['HTTPRouteBackendProtocolH2C', HTTP_EXTENDED, ['HTTPRoute', 'HTTPRouteBackendProtocolH2C']],
  ['HTTPRouteBackendProtocolWebSocket', HTTP_EXTENDED, ['HTTPRoute', 'HTTPRouteBackendProtocolWebSocket']],
  ['HTTPRouteCORS', HTTP_EXTENDED, ['HTTPRoute', 'HTTPRouteCORS']],
  ['HTTPRouteCrossNamespace', HTTP_CORE, ['HTTPRoute']],
  ['HTTPRouteExactPathMatching', HTTP_CORE, ['HTTPRoute']],
  ['HTTPRouteHeaderMatching', HTTP_CORE, ['HTTPRoute']],
  ['HTTPRouteHostnameIntersection', HTTP_CORE, ['HTTPRoute']],
  ['HTTPRouteHTTPSListenerDetectMisdirectedRequests', HTTP_EXTENDED, ['GatewayHTTPSListenerDetectMisdirectedRequests', 'HTTPRoute']],
  ['HTTPRouteHTTPSListener', HTTP_CORE, ['HTTPRoute']],
  ['HTTPRouteInvalidBackendRefUnknownKind', HTTP_CORE, ['HTTPRoute']],
  ['HTTPRouteInvalidCrossNamespaceBackendRef', HTTP_CORE, ['HTTPRoute', 'ReferenceGrant']],
  ['HTTPRouteInvalidCrossNamespaceParentRef', HTTP_CORE, ['HTTPRoute']],
  ['HTTPRouteInvalidNonExistentBackendRef', HTTP_CORE, ['HTTPRoute']],
  ['HTTPRouteInvalidParentRefNotMatchingListenerPort', HTTP_EXTENDED, ['HTTPRoute', 'HTTPRouteDestinationPortMatching']],
  ['HTTPRouteInvalidParentRefNotMatchingSectionName', HTTP_CORE, ['HTTPRoute']],
  ['HTTPRouteInvalidParentRefSectionNameNotMatchingPort', HTTP_EXTENDED, ['HTTPRoute', 'HTTPRouteParentRefPort']],
  ['HTTPRouteInvalidReferenceGrant', HTTP_CORE, ['HTTPRoute', 'ReferenceGrant']],
  ['HTTPRouteListenerHostnameMatching', HTTP_CORE, ['HTTPRoute']],
  ['HTTPRouteListenerPortMatching', HTTP_EXTENDED, ['HTTPRoute', 'HTTPRouteParentRefPort']],
  ['HTTPRouteMatchingAcrossRoutes', HTTP_CORE, ['HTTPRoute']],
  ['HTTPRouteMatching', HTTP_CORE, ['HTTPRoute']],
  ['HTTPRouteMethodMatching', HTTP_EXTENDED, ['HTTPRoute', 'HTTPRouteMethodMatching']],
  ['HTTPRouteMultipleGateways', HTTP_CORE, ['HTTPRoute']],
  ['HTTPRouteNamedRule', HTTP_EXTENDED, ['HTTPRoute', 'HTTPRouteNamedRouteRule'], true],
  ['HTTPRouteObservedGenerationBump', HTTP_CORE, ['HTTPRoute']],
  ['HTTPRouteNoBackendRefs', HTTP_CORE, ['HTTPRoute']],
  ['HTTPRoutePartiallyInvalidViaInvalidReferenceGrant', HTTP_CORE, ['HTTPRoute', 'ReferenceGrant']],
  ['HTTPRoutePathMatchOrder', HTTP_CORE, ['HTTPRoute']],
  ['HTTPRouteQueryParamMatching', HTTP_EXTENDED, ['HTTPRoute', 'HTTPRouteQueryParamMatching']],
  ['HTTPRouteRedirectHostAndStatus', HTTP_CORE, ['HTTPRoute']],
  ['HTTPRouteRedirectPath', HTTP_EXTENDED, ['HTTPRoute', 'HTTPRoutePathRedirect']],
  ['HTTPRouteRedirectPortAndScheme', HTTP_EXTENDED, ['HTTPRoute', 'HTTPRoutePortRedirect', 'GatewayPort8080']],
  ['HTTPRouteRedirectPort', HTTP_EXTENDED, ['HTTPRoute', 'HTTPRoutePortRedirect']],
  ['HTTPRouteRedirectScheme', HTTP_EXTENDED, ['HTTPRoute', 'HTTPRouteSchemeRedirect']],
  ['HTTPRouteReferenceGrant', HTTP_CORE, ['HTTPRoute', 'ReferenceGrant']],
  ['HTTPRouteRequestHeaderModifierBackendWeights', HTTP_EXTENDED, ['HTTPRouteBackendRequestHeaderModification', 'HTTPRoute']],
  ['HTTPRouteBackendRequestHeaderModifier', HTTP_EXTENDED, ['HTTPRoute', 'HTTPRouteBackendRequestHeaderModification']],
  ['HTTPRouteRequestHeaderModifier', HTTP_CORE, ['HTTPRoute']],
  ['HTTPRouteRequestMirror', HTTP_EXTENDED, ['HTTPRoute', 'HTTPRouteRequestMirror']],
  ['HTTPRouteRequestMultipleMirrors', HTTP_EXTENDED, ['HTTPRoute', 'HTTPRouteRequestMirror', 'HTTPRouteRequestMultipleMirrors']],
  ['HTTPRouteRequestPercentageMirror', HTTP_EXTENDED, ['HTTPRoute', 'HTTPRouteRequestPercentageMirror'], true],
  ['HTTPRouteResponseHeaderModifier', HTTP_EXTENDED, ['HTTPRoute', 'HTTPRouteResponseHeaderModification']],
  ['HTTPRouteRetry', HTTP_EXTENDED, ['HTTPRoute', 'HTTPRouteRetry']],
  ['HTTPRouteRewriteHost', HTTP_EXTENDED, ['HTTPRoute', 'HTTPRouteHostRewrite']],
  ['HTTPRouteRewritePath', HTTP_EXTENDED, ['HTTPRoute', 'HTTPRoutePathRewrite']],
  ['HTTPRouteServiceTypes', HTTP_CORE, ['HTTPRoute']],
  ['HTTPRouteSimpleSameNamespace', HTTP_CORE, ['HTTPRoute']],
  ['HTTPRouteTimeoutBackendRequest', HTTP_EXTENDED, ['HTTPRoute', 'HTTPRouteBackendTimeout']],
  ['HTTPRouteTimeoutRequest', HTTP_EXTENDED, ['HTTPRoute', 'HTTPRouteRequestTimeout']],
  ['HTTPRouteWeight', HTTP_CORE, ['HTTPRoute']],
  ['ListenerSetAllowedNamespaceNone', EVERY_EXTENDED, ['ListenerSet']],
  ['ListenerSetAllowedNamespaceSame', EVERY_EXTENDED, ['ListenerSet']],
  ['ListenerSetAllowedNamespaceSelector', EVERY_EXTENDED, ['ListenerSet']],
  ['ListenerSetAllowedRoutesNamespaces', HTTP_EXTENDED, ['ListenerSet', 'HTTPRoute', 'ReferenceGrant']],
  ['ListenerSetAllowedRoutesSupportedKinds', TLS_EXTENDED, ['ListenerSet', 'TLSRoute']],
  ['ListenerSetDefaultNotAllowed', EVERY_EXTENDED, ['ListenerSet']],
  ['ListenerSetDualParentRefIndependence', HTTP_EXTENDED, ['ListenerSet', 'HTTPRoute']],
  ['ListenerSetGatewayParentSectionNameNotFound', HTTP_EXTENDED, ['ListenerSet', 'HTTPRoute']],
  ['ListenerSetHostnameConflict', EVERY_EXTENDED, ['ListenerSet']],
  ['ListenerSetHTTPRouting', HTTP_EXTENDED, ['ListenerSet', 'HTTPRoute']],
  ['ListenerSetProtocolConflict', EVERY_EXTENDED, ['ListenerSet']],
  ['ListenerSetReferenceGrant', EVERY_EXTENDED, ['ListenerSet', 'ReferenceGrant']],
  ['ListenerSetRouteStatusScopedToParentRef', HTTP_EXTENDED, ['ListenerSet', 'HTTPRoute']],
  ['TCPRouteInvalidBackendRefNonexistent', TCP_CORE, ['TCPRoute'], true],
  ['TCPRouteInvalidCrossNamespaceBackendRef', TCP_CORE, ['TCPRoute', 'ReferenceGrant'], true],
  ['TCPRouteInvalidNonTCPListener', TCP_CORE, ['TCPRoute'], true],
  ['TCPRouteMultipleRoutesAttachment', TCP_CORE, ['TCPRoute']],
  ['TCPRouteParentRefAttachAll', TCP_CORE, ['TCPRoute'], true],
  ['TCPRouteParentRefPortAndSectionName', TCP_CORE, ['TCPRoute'], true],
  ['TCPRouteReferenceGrant', TCP_CORE, ['TCPRoute', 'ReferenceGrant'], true],
  ['TCPRouteWeightedRouting', TCP_CORE, ['TCPRoute'], true],
  ['TLSRouteHostnameIntersection', TLS_CORE, ['TLSRoute']],
  ['TLSRouteInvalidBackendRefNonexistent', TLS_CORE, ['TLSRoute']],
  ['TLSRouteInvalidBackendRefUnknownKind', TLS_CORE, ['TLSRoute']],
  ['TLSRouteInvalidNoMatchingListenerHostname', TLS_CORE, ['TLSRoute']],
  ['TLSRouteInvalidNoMatchingListener', TLS_CORE, ['TLSRoute']],
  ['TLSRouteInvalidReferenceGrant', TLS_CORE, ['TLSRoute', 'ReferenceGrant']],
  ['TLSRouteListenerMixedTerminationNotSupported', TLS_EXTENDED, ['TLSRoute', 'TLSRouteModeTerminate']],
  ['TLSRouteListenerPassthroughSupportedKinds', TLS_CORE, ['TLSRoute']],
  ['TLSRouteListenerTerminateNotSupported', TLS_CORE, ['TLSRoute']],
  ['TLSRouteListenerTerminateSupportedKinds', TLS_EXTENDED, ['TLSRoute', 'TLSRouteModeTerminate']],
  ['TLSRouteMixedTerminationSameNamespace', TLS_EXTENDED, ['TLSRoute', 'TLSRouteModeTerminate', 'TLSRouteModeMixed'], true],
  ['TLSRouteSimpleSameNamespace', TLS_CORE, ['TLSRoute']],
  ['TLSRouteTerminateSimpleSameNamespace', TLS_EXTENDED, ['TLSRoute', 'TLSRouteModeTerminate'], true],
  ['UDPRouteInvalidBackendRefNonexistent', UDP_CORE, ['UDPRoute'], true],
  ['UDPRouteInvalidCrossNamespaceBackendRef', UDP_CORE, ['UDPRoute', 'ReferenceGrant'], true],
  ['UDPRouteMultipleRoutesAttachment', UDP_CORE, ['UDPRoute'], true],
  ['UDPRouteNotAllowedByListeners', UDP_CORE, ['UDPRoute'], true],
  ['UDPRouteParentRefAttachAllListeners', UDP_CORE, ['UDPRoute'], true],
  ['UDPRouteParentRefPortAndSectionName', UDP_CORE, ['UDPRoute'], true],
  ['UDPRouteReferenceGrant', UDP_CORE, ['UDPRoute', 'ReferenceGrant'], true],
  ['UDPRoute', UDP_CORE, ['UDPRoute'], true],
  ['UDPRouteWeightedRouting', UDP_CORE, ['UDPRoute'], true],
];

function profileTests(profile: Profile): CatalogueEntry[] {
  return ROWS.flatMap(([shortName, profiles, features, provisional]) => {
    const support = profiles[profile];
    return support ? [{ shortName, support, features, provisional: provisional ?? false }] : [];
  });
}

/** Every profile the harness knows, with its tests in catalogue order and its core features. */
export const PROFILE_CATALOGUES: Record<Profile, ProfileCatalogue> = {
  'GATEWAY-HTTP': {
    tests: profileTests('GATEWAY-HTTP'),
    coreFeatures: ['Gateway', 'HTTPRoute', 'ReferenceGrant'],
  },
  'GATEWAY-TLS': {
    tests: profileTests('GATEWAY-TLS'),
    coreFeatures: ['Gateway', 'ReferenceGrant', 'TLSRoute'],
  },
  'GATEWAY-GRPC': {
    tests: profileTests('GATEWAY-GRPC'),
    coreFeatures: ['Gateway', 'GRPCRoute', 'ReferenceGrant'],
  },
  'GATEWAY-TCP': {
    tests: profileTests('GATEWAY-TCP'),
    coreFeatures: ['Gateway', 'ReferenceGrant', 'TCPRoute'],
  },
  'GATEWAY-UDP': {
    tests: profileTests('GATEWAY-UDP'),
    coreFeatures: ['Gateway', 'ReferenceGrant', 'UDPRoute'],
  },
};

/** The GATEWAY-HTTP profile's tests, in catalogue order. */
export const GATEWAY_HTTP: CatalogueEntry[] = PROFILE_CATALOGUES['GATEWAY-HTTP'].tests;

/** Features the GATEWAY-HTTP profile counts as core. */
export const GATEWAY_HTTP_CORE_FEATURES = PROFILE_CATALOGUES['GATEWAY-HTTP'].coreFeatures;

/**
 * Features Portico does not claim in this line of work (issue 4 names them out of scope); a
 * test that needs one is skipped with this reason. Everything else runs, and fails if missing.
 */
export const UNCLAIMED_FEATURES: Record<string, string> = {};
