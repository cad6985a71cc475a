/**
 * Gateway `ResolvedRefs` (Gateway API v1.4+): the Gateway's own references in `spec.tls`
 * (the client certificate it presents to backends), apart from its listeners'.
 */
import { condition } from './make.ts';
import type { DesiredCondition } from './types.ts';

export function gatewayResolvedRefs(): DesiredCondition {
  return condition('ResolvedRefs', 'True', 'ResolvedRefs', 'All references are resolved');
}

export function gatewayInvalidClientCertificateRef(message: string): DesiredCondition {
  return condition('ResolvedRefs', 'False', 'InvalidClientCertificateRef', message);
}

export function gatewayRefNotPermitted(message: string): DesiredCondition {
  return condition('ResolvedRefs', 'False', 'RefNotPermitted', message);
}
