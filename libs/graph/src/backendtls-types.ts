/**
 * BackendTLSPolicy (Gateway API v1) and ConfigMap summaries as the graph reads them, and the
 * policy nodes the graph makes of them. Kept apart from resources.ts and types.ts so the
 * central files only grow by a line each.
 */
import type { DesiredCondition } from '@portico/conditions';
import type { SubjectAltNameIR } from '@portico/ir';
import type { Condition, ObjectMeta, ParentReference } from './resources.ts';

export interface PolicyTargetReference {
  group: string;
  kind: string;
  name: string;
  /** For a Service: the name of one of its ports. */
  sectionName?: string;
}

export interface BackendTLSPolicy {
  kind?: 'BackendTLSPolicy';
  metadata: ObjectMeta;
  spec: {
    targetRefs: PolicyTargetReference[];
    validation: {
      caCertificateRefs?: { group: string; kind: string; name: string }[];
      wellKnownCACertificates?: string;
      hostname: string;
      subjectAltNames?: { type: string; hostname?: string; uri?: string }[];
    };
    options?: Record<string, string>;
  };
  status?: { ancestors?: PolicyAncestorStatus[] };
}

export interface PolicyAncestorStatus {
  ancestorRef: ParentReference;
  controllerName: string;
  conditions: Condition[];
}

/**
 * What the watcher keeps of a ConfigMap: whether `ca.crt` holds PEM certificates, and a hash
 * of its data (a new hash renders a new CA file). The data itself stays in the API server.
 */
export interface ConfigMapSummary {
  kind?: 'ConfigMap';
  metadata: ObjectMeta;
  hasCaCertificate: boolean;
  /** Why `ca.crt` cannot serve as a CA bundle; absent when it can (or when it is missing). */
  caCertificateError?: string;
  contentHash: string;
}

/** A usable CA reference of a policy: `ca.crt` of a ConfigMap or a Secret. */
export interface CaCertificateRefNode {
  kind: 'ConfigMap' | 'Secret';
  namespace: string;
  name: string;
  contentHash: string;
}

/** What NGINX needs to speak TLS to the Service ports a policy wins. */
export interface BackendTlsNode {
  /** `<ns>/<name>` of the policy. */
  policy: string;
  hostname: string;
  /** Referenced CAs, in `caCertificateRefs` order; empty when the system CAs are trusted. */
  caCertificates: CaCertificateRefNode[];
  /** `validation.subjectAltNames`, validated, in order; absent when the policy has none. */
  subjectAltNames?: SubjectAltNameIR[];
  /** `wellKnownCACertificates: System`: the data plane's system CA bundle is trusted. */
  wellKnownCACertificates?: 'System';
}

export interface BackendTlsPolicyNode {
  /** `<ns>/<name>`. */
  key: string;
  source: BackendTLSPolicy;
  /** `Accepted` then `ResolvedRefs`, the same for every ancestor. */
  conditions: DesiredCondition[];
  /**
   * The TLS settings when the policy is usable; undefined when it is invalid: connections
   * to the ports it targets then fail (their share answers 500), as the spec asks.
   */
  tls: BackendTlsNode | undefined;
  /** Reconcile keys of the Gateways whose routes use a Service the policy targets, sorted. */
  ancestors: string[];
}
