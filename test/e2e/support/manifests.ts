/**
 * Manifests that depend on values known only at run time (echo ports, generated paths), as
 * YAML text a user would write; static objects live in `test/e2e/fixtures/`.
 */

export interface BackendRef {
  name: string;
  port?: number;
  weight?: number;
  /** Set for a reference that is not a Service (InvalidKind). */
  kind?: string;
}

export interface RouteSpec {
  namespace: string;
  name: string;
  /** Parent Gateway `<namespace>/<name>`. */
  gateway: string;
  hostnames: string[];
  /** One rule per path prefix. */
  rules: Array<{ pathPrefix: string; backends: BackendRef[] }>;
}

function backendYaml(ref: BackendRef): string {
  const lines = [`        - name: ${ref.name}`, `          port: ${ref.port ?? 80}`];
  if (ref.weight !== undefined) lines.push(`          weight: ${ref.weight}`);
  if (ref.kind !== undefined) lines.push(`          kind: ${ref.kind}`);
  return lines.join('\n');
}

/** An HTTPRoute with PathPrefix rules. */
export function httpRoute(spec: RouteSpec): string {
  const [gatewayNamespace, gatewayName] = spec.gateway.split('/');
  const rules = spec.rules.map((rule) =>
    [
      '    - matches:',
      '        - path:',
      '            type: PathPrefix',
      `            value: ${rule.pathPrefix}`,
      '      backendRefs:',
      ...rule.backends.map(backendYaml),
    ].join('\n'),
  );
  return `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: ${spec.name}
  namespace: ${spec.namespace}
spec:
  parentRefs:
    - name: ${gatewayName}
      namespace: ${gatewayNamespace}
  hostnames:
${spec.hostnames.map((h) => `    - ${h}`).join('\n')}
  rules:
${rules.join('\n')}
`;
}

/**
 * The EndpointSlice of a Service port whose one "pod" is a local process (127.0.0.1 and its
 * port), as local mode asks users to write them; port name `http` and TCP unless given.
 */
export function endpointSlice(options: {
  namespace: string;
  service: string;
  port: number;
  portName?: string;
  protocol?: 'TCP' | 'UDP';
}): string {
  return `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: ${options.service}-local
  namespace: ${options.namespace}
  labels:
    kubernetes.io/service-name: ${options.service}
addressType: IPv4
endpoints:
  - addresses: ["127.0.0.1"]
    conditions:
      ready: true
ports:
  - name: ${options.portName ?? 'http'}
    port: ${options.port}
    protocol: ${options.protocol ?? 'TCP'}
`;
}
