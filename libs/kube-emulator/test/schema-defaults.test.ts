import { describe, expect, it } from 'vitest';
import { admitObject } from '../src/schema/index.ts';

const G = 'gateway.networking.k8s.io';
const PREFIX_ALL = { path: { type: 'PathPrefix', value: '/' } };
const pending = (type: string) => ({
  lastTransitionTime: '1970-01-01T00:00:00Z',
  message: 'Waiting for controller',
  reason: 'Pending',
  status: 'Unknown',
  type,
});
const parentRef = { name: 'edge', group: G, kind: 'Gateway' };

interface DefaultCase {
  name: string;
  kind: string;
  version?: string;
  input: Record<string, unknown>;
  expected: Record<string, unknown>;
}

const cases: DefaultCase[] = [
  {
    name: 'GatewayClass status: Accepted Unknown/Pending',
    kind: 'GatewayClass',
    input: { spec: { controllerName: 'portico.dev/gateway-controller' } },
    expected: {
      spec: { controllerName: 'portico.dev/gateway-controller' },
      status: { conditions: [pending('Accepted')] },
    },
  },
  {
    name: 'GatewayClass status.conditions inside a given status',
    kind: 'GatewayClass',
    input: {
      spec: { controllerName: 'a.b/c' },
      status: { supportedFeatures: [{ name: 'HTTPRoute' }] },
    },
    expected: {
      spec: { controllerName: 'a.b/c' },
      status: { supportedFeatures: [{ name: 'HTTPRoute' }], conditions: [pending('Accepted')] },
    },
  },
  {
    name: 'Gateway: listener allowedRoutes from Same, status Accepted and Programmed pending',
    kind: 'Gateway',
    input: {
      spec: { gatewayClassName: 'p', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
    },
    expected: {
      spec: {
        gatewayClassName: 'p',
        listeners: [
          {
            name: 'http',
            port: 80,
            protocol: 'HTTP',
            allowedRoutes: { namespaces: { from: 'Same' } },
          },
        ],
      },
      status: { conditions: [pending('Accepted'), pending('Programmed')] },
    },
  },
  {
    name: 'Gateway: tls mode Terminate, certificateRef group "" kind Secret, allowedRoutes kind group',
    kind: 'Gateway',
    input: {
      spec: {
        gatewayClassName: 'p',
        listeners: [
          {
            name: 'https',
            port: 443,
            protocol: 'HTTPS',
            tls: { certificateRefs: [{ name: 'c' }] },
            allowedRoutes: { kinds: [{ kind: 'HTTPRoute' }] },
          },
        ],
      },
      status: { conditions: [] },
    },
    expected: {
      spec: {
        gatewayClassName: 'p',
        listeners: [
          {
            name: 'https',
            port: 443,
            protocol: 'HTTPS',
            tls: { mode: 'Terminate', certificateRefs: [{ name: 'c', group: '', kind: 'Secret' }] },
            allowedRoutes: {
              kinds: [{ kind: 'HTTPRoute', group: G }],
              namespaces: { from: 'Same' },
            },
          },
        ],
      },
      status: { conditions: [] },
    },
  },
  {
    name: 'Gateway: address type IPAddress, allowedListeners from None',
    kind: 'Gateway',
    input: {
      spec: {
        gatewayClassName: 'p',
        addresses: [{ value: '10.0.0.1' }],
        allowedListeners: {},
        listeners: [{ name: 't', port: 9000, protocol: 'TCP', allowedRoutes: { namespaces: {} } }],
      },
    },
    expected: {
      spec: {
        gatewayClassName: 'p',
        addresses: [{ value: '10.0.0.1', type: 'IPAddress' }],
        allowedListeners: { namespaces: { from: 'None' } },
        listeners: [
          {
            name: 't',
            port: 9000,
            protocol: 'TCP',
            allowedRoutes: { namespaces: { from: 'Same' } },
          },
        ],
      },
      status: { conditions: [pending('Accepted'), pending('Programmed')] },
    },
  },
  {
    name: 'HTTPRoute: no rules means one rule matching PathPrefix "/"',
    kind: 'HTTPRoute',
    input: { spec: { parentRefs: [{ name: 'edge' }] } },
    expected: { spec: { parentRefs: [parentRef], rules: [{ matches: [PREFIX_ALL] }] } },
  },
  {
    name: 'HTTPRoute: rule matches, match path, path type and value, header type, weight',
    kind: 'HTTPRoute',
    input: {
      spec: {
        rules: [
          { backendRefs: [{ name: 's', port: 80 }] },
          {
            matches: [
              { headers: [{ name: 'x', value: 'y' }] },
              { path: { value: '/a' } },
              { path: { type: 'Exact' } },
            ],
          },
        ],
      },
    },
    expected: {
      spec: {
        rules: [
          {
            backendRefs: [{ name: 's', port: 80, group: '', kind: 'Service', weight: 1 }],
            matches: [PREFIX_ALL],
          },
          {
            matches: [
              {
                headers: [{ name: 'x', value: 'y', type: 'Exact' }],
                path: { type: 'PathPrefix', value: '/' },
              },
              { path: { value: '/a', type: 'PathPrefix' } },
              { path: { type: 'Exact', value: '/' } },
            ],
          },
        ],
      },
    },
  },
  {
    name: 'HTTPRoute: query param type, redirect statusCode, mirror denominator, CORS maxAge, session cookie',
    kind: 'HTTPRoute',
    input: {
      spec: {
        rules: [
          {
            matches: [{ queryParams: [{ name: 'q', value: '1' }] }],
            filters: [
              { type: 'RequestRedirect', requestRedirect: { scheme: 'https' } },
              { type: 'CORS', cors: { allowOrigins: ['*'] } },
            ],
            sessionPersistence: { cookieConfig: {} },
          },
          {
            filters: [
              {
                type: 'RequestMirror',
                requestMirror: { backendRef: { name: 'm', port: 1 }, fraction: { numerator: 5 } },
              },
            ],
          },
        ],
      },
    },
    expected: {
      spec: {
        rules: [
          {
            matches: [
              {
                queryParams: [{ name: 'q', value: '1', type: 'Exact' }],
                path: { type: 'PathPrefix', value: '/' },
              },
            ],
            filters: [
              { type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 302 } },
              { type: 'CORS', cors: { allowOrigins: ['*'], maxAge: 5 } },
            ],
            sessionPersistence: { cookieConfig: { lifetimeType: 'Session' }, type: 'Cookie' },
          },
          {
            filters: [
              {
                type: 'RequestMirror',
                requestMirror: {
                  backendRef: { name: 'm', port: 1, group: '', kind: 'Service' },
                  fraction: { numerator: 5, denominator: 100 },
                },
              },
            ],
            matches: [PREFIX_ALL],
          },
        ],
      },
    },
  },
  {
    name: 'HTTPRoute status: parentRef group and kind',
    kind: 'HTTPRoute',
    input: {
      spec: {},
      status: {
        parents: [
          {
            parentRef: { name: 'edge' },
            controllerName: 'portico.dev/gateway-controller',
            conditions: [{ ...pending('Accepted'), status: 'True', reason: 'Accepted' }],
          },
        ],
      },
    },
    expected: {
      spec: { rules: [{ matches: [PREFIX_ALL] }] },
      status: {
        parents: [
          {
            parentRef,
            controllerName: 'portico.dev/gateway-controller',
            conditions: [{ ...pending('Accepted'), status: 'True', reason: 'Accepted' }],
          },
        ],
      },
    },
  },
  {
    name: 'GRPCRoute: method match type Exact, no default matches',
    kind: 'GRPCRoute',
    input: { spec: { rules: [{ matches: [{ method: { service: 'a.B' } }] }, {}] } },
    expected: {
      spec: { rules: [{ matches: [{ method: { service: 'a.B', type: 'Exact' } }] }, {}] },
    },
  },
  {
    name: 'ListenerSet: parentRef group and kind, listener allowedRoutes, pending status',
    kind: 'ListenerSet',
    input: {
      spec: {
        parentRef: { name: 'edge' },
        listeners: [{ name: 'l', port: 8080, protocol: 'HTTP' }],
      },
    },
    expected: {
      spec: {
        parentRef,
        listeners: [
          {
            name: 'l',
            port: 8080,
            protocol: 'HTTP',
            allowedRoutes: { namespaces: { from: 'Same' } },
          },
        ],
      },
      status: { conditions: [pending('Accepted'), pending('Programmed')] },
    },
  },
  {
    name: 'TCPRoute v1alpha2: backendRef defaults',
    kind: 'TCPRoute',
    version: 'v1alpha2',
    input: { spec: { rules: [{ backendRefs: [{ name: 'db', port: 5432 }] }] } },
    expected: {
      spec: {
        rules: [
          { backendRefs: [{ name: 'db', port: 5432, group: '', kind: 'Service', weight: 1 }] },
        ],
      },
    },
  },
  {
    name: 'BackendTLSPolicy status: ancestorRef group and kind',
    kind: 'BackendTLSPolicy',
    input: {
      spec: {
        targetRefs: [{ group: '', kind: 'Service', name: 's' }],
        validation: { hostname: 's.internal', wellKnownCACertificates: 'System' },
      },
      status: {
        ancestors: [
          {
            ancestorRef: { name: 'edge' },
            controllerName: 'a.b/c',
            conditions: [pending('Accepted')],
          },
        ],
      },
    },
    expected: {
      spec: {
        targetRefs: [{ group: '', kind: 'Service', name: 's' }],
        validation: { hostname: 's.internal', wellKnownCACertificates: 'System' },
      },
      status: {
        ancestors: [
          { ancestorRef: parentRef, controllerName: 'a.b/c', conditions: [pending('Accepted')] },
        ],
      },
    },
  },
];

describe('admitObject applies the CRD defaults', () => {
  it.each(cases)('$name', ({ kind, version, input, expected }) => {
    const obj = structuredClone(input);
    const result = admitObject(G, version ?? 'v1', kind, obj);
    expect(result?.causes).toEqual([]);
    expect(obj).toEqual(expected);
  });

  it('gives every object its own copy of a default', () => {
    const a = { spec: {} };
    const b = { spec: {} };
    admitObject(G, 'v1', 'HTTPRoute', a);
    admitObject(G, 'v1', 'HTTPRoute', b);
    (a.spec as { rules: unknown[] }).rules.push('x');
    expect(b).toEqual({ spec: { rules: [{ matches: [PREFIX_ALL] }] } });
  });

  it('replaces a null field by its default and drops other nulls', () => {
    const obj = {
      spec: { rules: null, hostnames: null, parentRefs: [{ name: 'edge', kind: null }] },
    };
    const result = admitObject(G, 'v1', 'HTTPRoute', obj);
    expect(result).toEqual({ unknownFields: [], causes: [] });
    expect(obj).toEqual({ spec: { rules: [{ matches: [PREFIX_ALL] }], parentRefs: [parentRef] } });
  });
});
