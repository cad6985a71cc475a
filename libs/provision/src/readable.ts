/**
 * What a data plane reads from the API server: every Secret and ConfigMap its Gateway's IR
 * names (invariant 6: the IR carries references, the renderer fetches the material). Taken
 * from the IR the reconciler publishes, so the grant is exactly what the renderer will ask
 * for: listener certificates (HTTPS, TLS Terminate), the CA bundles HTTPS listeners check
 * client certificates with, CA bundles of BackendTLSPolicies (`ca.crt` of ConfigMaps or
 * Secrets; `wellKnownCACertificates: System` reads the data plane's own file, nothing from the
 * API), and the Gateway's client certificate for backends. Only usable, permitted references
 * reach the IR.
 */
import type { GatewayIR } from '@portico/ir';
import type { ObjectRef } from './objects.ts';

export interface ReadableObjects {
  secrets: ObjectRef[];
  configMaps: ObjectRef[];
}

/** The Secrets and ConfigMaps `ir` references (duplicates kept; certificateAccess merges). */
export function readableObjects(ir: GatewayIR | undefined): ReadableObjects {
  const secrets: ObjectRef[] = [];
  const configMaps: ObjectRef[] = [];
  const ref = (o: ObjectRef): ObjectRef => ({ namespace: o.namespace, name: o.name });
  const trust = (ca: ObjectRef & { kind: string }) =>
    (ca.kind === 'ConfigMap' ? configMaps : secrets).push(ref(ca));
  for (const server of ir?.httpServers ?? [])
    for (const listener of server.listeners ?? []) {
      secrets.push(...listener.certificates.map(ref));
      for (const ca of listener.clientValidation?.trustedCertificates ?? []) trust(ca);
    }
  for (const server of ir?.streamServers ?? [])
    for (const route of server.routes) secrets.push(...(route.terminate ?? []).map(ref));
  for (const upstream of ir?.upstreams ?? []) {
    const tls = upstream.tls;
    if (tls === undefined) continue;
    for (const ca of tls.trustedCertificates) trust(ca);
    if (tls.clientCertificate) secrets.push(ref(tls.clientCertificate));
  }
  return { secrets, configMaps };
}
