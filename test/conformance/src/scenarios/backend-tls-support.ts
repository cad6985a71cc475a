/**
 * What the BackendTLSPolicy scenarios share: TLS echo "pods" behind Services (an in-process
 * HTTPS echo and the EndpointSlices the endpoints controller would write), CA ConfigMaps made
 * from throwaway certificates, policies, and the upstream `BackendTLSPolicyMustHaveCondition`.
 */
import type { KubeObject } from '@portico/kube';
import { RESOURCES } from '@portico/kube';
import { writeEndpointSlice } from '@portico/local-stack';
import { startHttpsEcho, type RunningHttpsEcho, type TestCertificate } from '@portico/testing';
import { CONTROLLER_NAME, GATEWAY_API, ref, service, type Ref } from '../builders.ts';
import type { ScenarioContext } from '../scenario.ts';
import { findCondition, staleConditions, type Condition } from '../status-match.ts';

/** The port name the policies target (upstream's `btls`). */
export const PORT_NAME = 'btls';

/** A Service whose port `btls` (443) goes to a TLS backend (upstream declares some `HTTPS`). */
export function tlsService(at: Ref, app: string, appProtocol?: 'HTTPS'): KubeObject {
  return service(
    at,
    [{ name: PORT_NAME, port: 443, targetPort: 8443, ...(appProtocol ? { appProtocol } : {}) }],
    { selector: { app } },
  );
}

/** A BackendTLSPolicy on one Service (its `btls` port unless `sectionName` is null). */
export function backendTlsPolicy(
  at: Ref,
  target: string,
  validation: Record<string, unknown>,
  sectionName: string | null = PORT_NAME,
): KubeObject {
  return {
    apiVersion: GATEWAY_API,
    kind: 'BackendTLSPolicy',
    metadata: { ...at },
    spec: {
      targetRefs: [
        { group: '', kind: 'Service', name: target, ...(sectionName ? { sectionName } : {}) },
      ],
      validation,
    },
  };
}

/** `validation` with one CA ConfigMap and a hostname. */
export const caValidation = (configMap: string, hostname: string): Record<string, unknown> => ({
  caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: configMap }],
  hostname,
});

export function caConfigMap(at: Ref, certificate: TestCertificate): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { ...at },
    data: { 'ca.crt': certificate.certPem },
  };
}

/** A running TLS backend and what it wrote, to undo. */
export interface TlsBackend {
  echo: RunningHttpsEcho;
  stop(): Promise<void>;
}

/**
 * Starts the HTTPS echo of `app` (pod `<app>-local-0`) with `certificate` and points the
 * `btls` port of each Service at it.
 */
export async function startTlsBackend(
  t: ScenarioContext,
  at: Ref,
  services: Array<string | { name: string; portName: string }>,
  certificate: TestCertificate,
  clientCa?: string,
): Promise<TlsBackend> {
  const echo = await startHttpsEcho({
    context: { namespace: at.namespace, ingress: '', service: at.name, pod: `${at.name}-local-0` },
    cert: certificate.certPem,
    key: certificate.keyPem,
    ...(clientCa === undefined ? {} : { clientCa }),
  });
  const ports = services.map((s) => (typeof s === 'string' ? { name: s, portName: PORT_NAME } : s));
  const slices = ports.map((p) => ref(at.namespace, `${p.name}-${p.portName}-tls-local`));
  try {
    for (const [i, { name, portName }] of ports.entries()) {
      await writeEndpointSlice(t.cluster.rest, {
        namespace: at.namespace,
        service: name,
        portName,
        name: slices[i]?.name ?? name,
        endpoints: [{ address: '127.0.0.1', port: echo.port }],
      });
    }
  } catch (error) {
    await echo.stop();
    throw error;
  }
  return {
    echo,
    stop: async () => {
      for (const slice of slices) {
        await t.cluster.delete(RESOURCES.EndpointSlice, slice).catch(() => undefined);
      }
      await echo.stop();
    },
  };
}

interface AncestorStatus {
  ancestorRef: { name: string; namespace?: string };
  controllerName: string;
  conditions?: Condition[];
}

/** Upstream `BackendTLSPolicyMustHaveCondition`: our ancestor entry for `gw` has `expected`. */
export function policyCondition(
  t: ScenarioContext,
  policy: Ref,
  gw: Ref,
  expected: Condition,
): Promise<void> {
  const what = `BackendTLSPolicy ${policy.name} ${expected.type} ${expected.reason} for ${gw.name}`;
  return t.cluster.until(what, async () => {
    const object = await t.cluster.get(RESOURCES.BackendTLSPolicy, policy);
    const status = object['status'] as { ancestors?: AncestorStatus[] } | undefined;
    const entry = (status?.ancestors ?? []).find(
      (a) =>
        a.controllerName === CONTROLLER_NAME &&
        a.ancestorRef.name === gw.name &&
        (a.ancestorRef.namespace ?? policy.namespace) === gw.namespace,
    );
    if (entry === undefined) return `no ancestor entry for Gateway ${gw.name}`;
    const stale = staleConditions(object.metadata.generation, entry.conditions ?? []);
    if (stale) return stale;
    return findCondition(entry.conditions ?? [], expected);
  });
}
