/**
 * Condition types and reasons of Gateway API v1.6, as constants so that no code compares
 * free-form strings. Values are the spec's own spellings (apis/v1/*_types.go).
 */

/** Condition types used on GatewayClass, Gateway, Listener and Route parent status. */
export const ConditionType = {
  Accepted: 'Accepted',
  Programmed: 'Programmed',
  ResolvedRefs: 'ResolvedRefs',
  Conflicted: 'Conflicted',
  PartiallyInvalid: 'PartiallyInvalid',
} as const;
export type ConditionType = (typeof ConditionType)[keyof typeof ConditionType];

/** Condition reasons, True and False ones alike (the spec reuses names across types). */
export const Reason = {
  // shared
  Accepted: 'Accepted',
  Programmed: 'Programmed',
  ResolvedRefs: 'ResolvedRefs',
  Invalid: 'Invalid',
  Pending: 'Pending',
  UnsupportedValue: 'UnsupportedValue',
  RefNotPermitted: 'RefNotPermitted',
  UnsupportedProtocol: 'UnsupportedProtocol',
  // GatewayClass
  InvalidParameters: 'InvalidParameters',
  // Gateway
  ListenersNotValid: 'ListenersNotValid',
  UnsupportedAddress: 'UnsupportedAddress',
  AddressNotUsable: 'AddressNotUsable',
  AddressNotAssigned: 'AddressNotAssigned',
  // Listener
  NoConflicts: 'NoConflicts',
  HostnameConflict: 'HostnameConflict',
  ProtocolConflict: 'ProtocolConflict',
  InvalidRouteKinds: 'InvalidRouteKinds',
  InvalidCertificateRef: 'InvalidCertificateRef',
  // Route
  NotAllowedByListeners: 'NotAllowedByListeners',
  NoMatchingParent: 'NoMatchingParent',
  NoMatchingListenerHostname: 'NoMatchingListenerHostname',
  BackendNotFound: 'BackendNotFound',
  InvalidKind: 'InvalidKind',
  IncompatibleFilters: 'IncompatibleFilters',
} as const;
export type Reason = (typeof Reason)[keyof typeof Reason];
