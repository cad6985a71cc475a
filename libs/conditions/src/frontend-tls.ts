/**
 * Client certificate validation on HTTPS listeners (Gateway `spec.tls.frontend`, features
 * GatewayFrontendClientCertificateValidation and ...InsecureFallback): the listener reasons
 * the spec names for CA references, and the Gateway condition that warns of a fallback mode.
 */
import { condition } from './make.ts';
import type { DesiredCondition } from './types.ts';

/** Reasons of listener conditions about `tls.frontend` CA references (apis/v1). */
export const FrontendReason = {
  InvalidCACertificateRef: 'InvalidCACertificateRef',
  InvalidCACertificateKind: 'InvalidCACertificateKind',
  NoValidCACertificate: 'NoValidCACertificate',
} as const;

/** A CA reference is missing or has no usable `ca.crt`. */
export function listenerInvalidCACertificateRef(message: string): DesiredCondition {
  return condition('ResolvedRefs', 'False', FrontendReason.InvalidCACertificateRef, message);
}

/** A CA reference names a kind we do not read CA bundles from. */
export function listenerInvalidCACertificateKind(message: string): DesiredCondition {
  return condition('ResolvedRefs', 'False', FrontendReason.InvalidCACertificateKind, message);
}

/** Every CA reference of the listener's port is invalid: it cannot verify clients. */
export function listenerNoValidCACertificate(message: string): DesiredCondition {
  return condition('Accepted', 'False', FrontendReason.NoValidCACertificate, message);
}

/**
 * `InsecureFrontendValidationMode`: some port lets clients through without a valid
 * certificate (`AllowInsecureFallback`), which the spec wants visible on the Gateway.
 */
export function gatewayInsecureFrontendValidationMode(message: string): DesiredCondition {
  return condition('InsecureFrontendValidationMode', 'True', 'ConfigurationChanged', message);
}
