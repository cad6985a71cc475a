/**
 * Valid Gateway API objects (written for these tests), one or more per kind, using most fields
 * including experimental ones. Each call returns a fresh copy the test may mutate.
 */

export interface Example {
  readonly name: string;
  readonly group: string;
  readonly versions: readonly string[];
  readonly kind: string;
  readonly make: () => Record<string, unknown>;
}

const G = 'gateway.networking.k8s.io';
const meta = (name: string) => ({ name, namespace: 'default' });

export const gatewayClassExample = () => ({
  apiVersion: `${G}/v1`,
  kind: 'GatewayClass',
  metadata: { name: 'portico' },
  spec: {
    controllerName: 'portico.dev/gateway-controller',
    description: 'Portico on NGINX',
    parametersRef: { group: 'portico.dev', kind: 'ProxySettings', name: 'p', namespace: 'ops' },
  },
});

export const gatewayExample = () => ({
  apiVersion: `${G}/v1`,
  kind: 'Gateway',
  metadata: meta('edge'),
  spec: {
    gatewayClassName: 'portico',
    defaultScope: 'All',
    addresses: [{ type: 'IPAddress', value: '10.0.0.1' }, { value: 'fd00::1' }],
    infrastructure: { labels: { 'portico.dev/tier': 'edge' }, annotations: { note: 'a b c' } },
    allowedListeners: { namespaces: { from: 'Same' } },
    listeners: [
      { name: 'http', port: 80, protocol: 'HTTP', hostname: '*.example.com' },
      {
        name: 'https',
        port: 443,
        protocol: 'HTTPS',
        hostname: 'www.example.com',
        tls: { mode: 'Terminate', certificateRefs: [{ name: 'www-cert' }] },
        allowedRoutes: {
          namespaces: { from: 'Selector', selector: { matchLabels: { team: 'web' } } },
          kinds: [{ kind: 'HTTPRoute' }],
        },
      },
      { name: 'tls', port: 8443, protocol: 'TLS', tls: { mode: 'Passthrough' } },
      { name: 'tcp', port: 9300, protocol: 'TCP' },
      { name: 'dns', port: 5300, protocol: 'UDP' },
    ],
    tls: {
      frontend: {
        default: {
          validation: { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'ca' }] },
        },
        perPort: [
          {
            port: 443,
            tls: {
              validation: { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'ca2' }] },
            },
          },
        ],
      },
    },
  },
});

export const httpRouteExample = () => ({
  apiVersion: `${G}/v1`,
  kind: 'HTTPRoute',
  metadata: meta('web'),
  spec: {
    parentRefs: [
      { name: 'edge', sectionName: 'http' },
      { name: 'edge', sectionName: 'https' },
    ],
    hostnames: ['www.example.com', '*.example.org'],
    useDefaultGateways: 'None',
    rules: [
      {
        name: 'api',
        matches: [
          {
            path: { type: 'PathPrefix', value: '/api' },
            headers: [{ name: 'x-env', value: 'canary' }],
            queryParams: [{ name: 'v', type: 'RegularExpression', value: '^2' }],
            method: 'GET',
          },
        ],
        filters: [
          {
            type: 'RequestHeaderModifier',
            requestHeaderModifier: { set: [{ name: 'x-a', value: '1' }], remove: ['x-b'] },
          },
          {
            type: 'URLRewrite',
            urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } },
          },
          {
            type: 'CORS',
            cors: { allowOrigins: ['https://app.example.com'], allowMethods: ['GET', 'POST'] },
          },
          {
            type: 'ExternalAuth',
            externalAuth: {
              protocol: 'HTTP',
              backendRef: { name: 'auth', port: 8080 },
              http: { path: '/check' },
            },
          },
        ],
        backendRefs: [
          { name: 'api-v1', port: 8080, weight: 90 },
          {
            name: 'api-v2',
            port: 8080,
            weight: 10,
            filters: [
              {
                type: 'ResponseHeaderModifier',
                responseHeaderModifier: { add: [{ name: 'x-v', value: '2' }] },
              },
            ],
          },
        ],
        timeouts: { request: '10s', backendRequest: '2s' },
        retry: { attempts: 3, backoff: '100ms', codes: [502, 503] },
        sessionPersistence: {
          sessionName: 'sid',
          type: 'Cookie',
          absoluteTimeout: '1h',
          cookieConfig: { lifetimeType: 'Permanent' },
        },
      },
      {
        matches: [{ path: { type: 'Exact', value: '/old' } }],
        filters: [
          {
            type: 'RequestRedirect',
            requestRedirect: {
              scheme: 'https',
              statusCode: 301,
              path: { type: 'ReplaceFullPath', replaceFullPath: '/new' },
            },
          },
        ],
      },
      {
        matches: [{ path: { type: 'RegularExpression', value: '/img/.*\\.png' } }],
        filters: [
          {
            type: 'RequestMirror',
            requestMirror: {
              backendRef: { name: 'shadow', port: 80 },
              fraction: { numerator: 1, denominator: 10 },
            },
          },
        ],
        backendRefs: [{ name: 'img', port: 80 }],
      },
    ],
  },
});

export const grpcRouteExample = () => ({
  apiVersion: `${G}/v1`,
  kind: 'GRPCRoute',
  metadata: meta('grpc'),
  spec: {
    parentRefs: [{ name: 'edge', port: 443 }],
    hostnames: ['grpc.example.com'],
    rules: [
      {
        matches: [
          { method: { service: 'helloworld.Greeter', method: 'SayHello' } },
          {
            method: { type: 'RegularExpression', service: 'echo\\..*' },
            headers: [{ name: 'x-tenant', value: 'a b' }],
          },
        ],
        filters: [
          {
            type: 'RequestHeaderModifier',
            requestHeaderModifier: { add: [{ name: 'x-grpc', value: 'yes' }] },
          },
        ],
        backendRefs: [{ name: 'greeter', port: 50051 }],
        sessionPersistence: { type: 'Header', sessionName: 'x-session' },
      },
    ],
  },
});

export const referenceGrantExample = () => ({
  apiVersion: `${G}/v1beta1`,
  kind: 'ReferenceGrant',
  metadata: meta('allow-routes'),
  spec: {
    from: [{ group: G, kind: 'HTTPRoute', namespace: 'web' }],
    to: [
      { group: '', kind: 'Service' },
      { group: '', kind: 'Secret', name: 'www-cert' },
    ],
  },
});

export const backendTlsPolicyExample = () => ({
  apiVersion: `${G}/v1`,
  kind: 'BackendTLSPolicy',
  metadata: meta('api-tls'),
  spec: {
    targetRefs: [
      { group: '', kind: 'Service', name: 'api', sectionName: 'https' },
      { group: '', kind: 'Service', name: 'api', sectionName: 'admin' },
    ],
    validation: {
      hostname: 'api.internal',
      caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'ca' }],
      subjectAltNames: [
        { type: 'Hostname', hostname: 'api.internal' },
        { type: 'URI', uri: 'spiffe://cluster/ns/api' },
      ],
    },
    options: { 'portico.dev/min-version': '1.3' },
  },
});

export const listenerSetExample = () => ({
  apiVersion: `${G}/v1`,
  kind: 'ListenerSet',
  metadata: meta('team-a'),
  spec: {
    parentRef: { name: 'edge' },
    listeners: [
      {
        name: 'a-https',
        port: 443,
        protocol: 'HTTPS',
        hostname: 'a.example.com',
        tls: { certificateRefs: [{ name: 'a-cert' }] },
      },
    ],
  },
});

export const tlsRouteExample = () => ({
  apiVersion: `${G}/v1`,
  kind: 'TLSRoute',
  metadata: meta('passthrough'),
  spec: {
    parentRefs: [{ name: 'edge', sectionName: 'tls' }],
    hostnames: ['db.example.com', '*.db.example.com'],
    rules: [{ backendRefs: [{ name: 'db', port: 5432 }] }],
  },
});

const l4RouteExample = (kind: string, port: number) => () => ({
  apiVersion: `${G}/v1`,
  kind,
  metadata: meta(kind.toLowerCase()),
  spec: {
    parentRefs: [{ name: 'edge', sectionName: kind === 'TCPRoute' ? 'tcp' : 'dns' }],
    rules: [
      {
        name: 'only',
        backendRefs: [
          { name: 'svc', port, weight: 3 },
          { name: 'svc2', port },
        ],
      },
    ],
  },
});

export const EXAMPLES: readonly Example[] = [
  {
    name: 'GatewayClass',
    group: G,
    kind: 'GatewayClass',
    versions: ['v1', 'v1beta1'],
    make: gatewayClassExample,
  },
  { name: 'Gateway', group: G, kind: 'Gateway', versions: ['v1', 'v1beta1'], make: gatewayExample },
  {
    name: 'HTTPRoute',
    group: G,
    kind: 'HTTPRoute',
    versions: ['v1', 'v1beta1'],
    make: httpRouteExample,
  },
  { name: 'GRPCRoute', group: G, kind: 'GRPCRoute', versions: ['v1'], make: grpcRouteExample },
  {
    name: 'ReferenceGrant',
    group: G,
    kind: 'ReferenceGrant',
    versions: ['v1', 'v1beta1'],
    make: referenceGrantExample,
  },
  {
    name: 'BackendTLSPolicy',
    group: G,
    kind: 'BackendTLSPolicy',
    versions: ['v1', 'v1alpha3'],
    make: backendTlsPolicyExample,
  },
  {
    name: 'ListenerSet',
    group: G,
    kind: 'ListenerSet',
    versions: ['v1'],
    make: listenerSetExample,
  },
  {
    name: 'TLSRoute',
    group: G,
    kind: 'TLSRoute',
    versions: ['v1', 'v1alpha3', 'v1alpha2'],
    make: tlsRouteExample,
  },
  {
    name: 'TCPRoute',
    group: G,
    kind: 'TCPRoute',
    versions: ['v1', 'v1alpha2'],
    make: l4RouteExample('TCPRoute', 9000),
  },
  {
    name: 'UDPRoute',
    group: G,
    kind: 'UDPRoute',
    versions: ['v1', 'v1alpha2'],
    make: l4RouteExample('UDPRoute', 53),
  },
];
