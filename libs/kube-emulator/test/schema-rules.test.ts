import { describe, expect, it } from 'vitest';
import { admitObject } from '../src/schema/index.ts';
import {
  backendTlsPolicyExample,
  gatewayClassExample,
  gatewayExample,
  grpcRouteExample,
  httpRouteExample,
  tlsRouteExample,
} from './schema-examples.ts';
import type { Any, ErrorCase } from './schema-helpers.ts';
import { G, invalid, pathCase, ruleFailed, SKIPPED } from './schema-helpers.ts';

const listenerCase = (name: string, listener: Any, message: string): ErrorCase => ({
  name: `Gateway listener ${name}`,
  kind: 'Gateway',
  make: () => ({ spec: { gatewayClassName: 'p', listeners: [listener] } }),
  mutate: () => {},
  causes: [ruleFailed('spec.listeners', 'array', message)],
});

const filterRule = (filters: Any[]) => ({
  spec: { rules: [{ filters }] },
});

const pathCases: ErrorCase[] = [
  pathCase('not absolute', 'api', ["value must be an absolute path and start with '/'"]),
  pathCase('with //', '/a//b', ["must not contain '//'"]),
  pathCase('with /./', '/a/./b', ["must not contain '/./'"]),
  pathCase('with /../', '/a/../b', ["must not contain '/../'"]),
  pathCase('with %2f', '/a%2fb', ["must not contain '%2f'"]),
  pathCase('with %2F', '/a%2Fb', ["must not contain '%2F'"]),
  pathCase('ending with /..', '/a/..', ["must not end with '/..'"]),
  pathCase('ending with /.', '/a/.', ["must not end with '/.'"]),
  pathCase('with #', '/a#b', [
    "must not contain '#'",
    "must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) for types",
  ]),
];

const listenerCases: ErrorCase[] = [
  listenerCase(
    'TCP with hostname',
    { name: 't', port: 9000, protocol: 'TCP', hostname: 'a.example.com' },
    "hostname must not be specified for protocols ['TCP', 'UDP']",
  ),
  listenerCase(
    'HTTP with tls',
    { name: 'h', port: 80, protocol: 'HTTP', tls: { certificateRefs: [{ name: 'c' }] } },
    "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']",
  ),
  listenerCase(
    'HTTPS in Passthrough mode',
    { name: 'h', port: 443, protocol: 'HTTPS', tls: { mode: 'Passthrough' } },
    'tls mode must be Terminate for protocol HTTPS',
  ),
  listenerCase(
    'TLS without tls',
    { name: 't', port: 443, protocol: 'TLS' },
    'tls mode must be set for protocol TLS',
  ),
  {
    name: 'Gateway listener Terminate without certificateRefs or options',
    kind: 'Gateway',
    make: () => ({
      spec: {
        gatewayClassName: 'p',
        listeners: [{ name: 'h', port: 443, protocol: 'HTTPS', tls: { options: {} } }],
      },
    }),
    mutate: () => {},
    causes: [
      ruleFailed(
        'spec.listeners[0].tls',
        'object',
        'no such key: certificateRefs evaluating rule: certificateRefs or options must be specified when mode is Terminate',
      ),
    ],
  },
  {
    name: 'Gateway listener Terminate with empty certificateRefs and options',
    kind: 'Gateway',
    make: () => ({
      spec: {
        gatewayClassName: 'p',
        listeners: [
          { name: 'h', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [], options: {} } },
        ],
      },
    }),
    mutate: () => {},
    causes: [
      ruleFailed(
        'spec.listeners[0].tls',
        'object',
        'certificateRefs or options must be specified when mode is Terminate',
      ),
    ],
  },
  {
    name: 'Gateway listener names not unique',
    kind: 'Gateway',
    make: gatewayExample,
    mutate: (o) => (o.spec.listeners[1].name = 'http'),
    causes: [
      {
        reason: 'FieldValueDuplicate',
        field: 'spec.listeners[1]',
        message: 'Duplicate value: map[string]interface {}{"name":"http"}',
      },
      ruleFailed('spec.listeners', 'array', 'Listener name must be unique within the Gateway'),
    ],
  },
  {
    name: 'Gateway listeners with the same port, protocol and hostname',
    kind: 'Gateway',
    make: gatewayExample,
    mutate: (o) => o.spec.listeners.push({ name: 'tcp2', port: 9300, protocol: 'TCP' }),
    causes: [
      ruleFailed(
        'spec.listeners',
        'array',
        'Combination of port, protocol and hostname must be unique for each listener',
      ),
    ],
  },
];

const filterCases: ErrorCase[] = [
  {
    name: 'HTTPRoute filter field that disagrees with its type',
    kind: 'HTTPRoute',
    make: () =>
      filterRule([{ type: 'RequestHeaderModifier', requestRedirect: { scheme: 'https' } }]),
    mutate: () => {},
    causes: [
      ruleFailed(
        'spec.rules[0].filters[0]',
        'object',
        'filter.requestHeaderModifier must be specified for RequestHeaderModifier filter.type',
      ),
      ruleFailed(
        'spec.rules[0].filters[0]',
        'object',
        'filter.requestRedirect must be nil if the filter.type is not RequestRedirect',
      ),
    ],
  },
  {
    name: 'HTTPRoute filter type repeated',
    kind: 'HTTPRoute',
    make: () =>
      filterRule([
        { type: 'RequestHeaderModifier', requestHeaderModifier: { remove: ['a'] } },
        { type: 'RequestHeaderModifier', requestHeaderModifier: { remove: ['b'] } },
      ]),
    mutate: () => {},
    causes: [
      ruleFailed(
        'spec.rules[0].filters',
        'array',
        'RequestHeaderModifier filter cannot be repeated',
      ),
    ],
  },
  {
    name: 'HTTPRoute redirect and rewrite together',
    kind: 'HTTPRoute',
    make: () =>
      filterRule([
        { type: 'RequestRedirect', requestRedirect: { scheme: 'https' } },
        { type: 'URLRewrite', urlRewrite: { hostname: 'a.example.com' } },
      ]),
    mutate: () => {},
    causes: [
      ruleFailed(
        'spec.rules[0].filters',
        'array',
        'May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both',
      ),
    ],
  },
  {
    name: 'HTTPRoute ReplacePrefixMatch redirect with an Exact match',
    kind: 'HTTPRoute',
    make: () => ({
      spec: {
        rules: [
          {
            matches: [{ path: { type: 'Exact', value: '/a' } }],
            filters: [
              {
                type: 'RequestRedirect',
                requestRedirect: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/b' } },
              },
            ],
          },
        ],
      },
    }),
    mutate: () => {},
    causes: [
      ruleFailed(
        'spec.rules[0]',
        'object',
        'When using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified',
      ),
    ],
  },
  {
    name: 'HTTPRoute redirect together with backendRefs',
    kind: 'HTTPRoute',
    make: httpRouteExample,
    mutate: (o) => (o.spec.rules[1].backendRefs = [{ name: 's', port: 80 }]),
    causes: [
      ruleFailed(
        'spec.rules[1]',
        'object',
        'RequestRedirect filter must not be used together with backendRefs',
      ),
    ],
  },
  {
    name: 'HTTPRoute redirect path type without its field',
    kind: 'HTTPRoute',
    make: () =>
      filterRule([
        { type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplaceFullPath' } } },
      ]),
    mutate: () => {},
    causes: [
      ruleFailed(
        'spec.rules[0].filters[0].requestRedirect.path',
        'object',
        "replaceFullPath must be specified when type is set to 'ReplaceFullPath'",
      ),
    ],
  },
  {
    name: 'HTTPRoute mirror with percent and fraction, fraction above 1',
    kind: 'HTTPRoute',
    make: () =>
      filterRule([
        {
          type: 'RequestMirror',
          requestMirror: {
            backendRef: { name: 'm', port: 1 },
            percent: 5,
            fraction: { numerator: 3, denominator: 2 },
          },
        },
      ]),
    mutate: () => {},
    causes: [
      ruleFailed(
        'spec.rules[0].filters[0].requestMirror',
        'object',
        'Only one of percent or fraction may be specified in HTTPRequestMirrorFilter',
      ),
      ruleFailed(
        'spec.rules[0].filters[0].requestMirror.fraction',
        'object',
        'numerator must be less than or equal to denominator',
      ),
    ],
  },
  {
    name: 'HTTPRoute CORS wildcard alongside other methods',
    kind: 'HTTPRoute',
    make: () => filterRule([{ type: 'CORS', cors: { allowMethods: ['*', 'GET'] } }]),
    mutate: () => {},
    causes: [
      ruleFailed(
        'spec.rules[0].filters[0].cors.allowMethods',
        'array',
        "AllowMethods cannot contain '*' alongside other methods",
      ),
    ],
  },
  {
    name: 'HTTPRoute external auth over HTTP without http settings',
    kind: 'HTTPRoute',
    make: httpRouteExample,
    mutate: (o) => delete o.spec.rules[0].filters[3].externalAuth.http,
    causes: [
      ruleFailed(
        'spec.rules[0].filters[3].externalAuth',
        'object',
        "http must be specified when protocol is set to 'HTTP'",
      ),
    ],
  },
];

const otherCases: ErrorCase[] = [
  {
    name: 'HTTPRoute Service backend without port',
    kind: 'HTTPRoute',
    make: httpRouteExample,
    mutate: (o) => delete o.spec.rules[2].backendRefs[0].port,
    causes: [
      ruleFailed('spec.rules[2].backendRefs[0]', 'object', 'Must have port for Service reference'),
    ],
  },
  {
    name: 'HTTPRoute same parent twice without sectionName',
    kind: 'HTTPRoute',
    make: httpRouteExample,
    mutate: (o) => (o.spec.parentRefs = [{ name: 'edge' }, { name: 'edge' }]),
    causes: [
      ruleFailed(
        'spec.parentRefs',
        'array',
        'sectionName or port must be unique when parentRefs includes 2 or more references to the same parent',
      ),
    ],
  },
  {
    name: 'HTTPRoute same parent with and without sectionName',
    kind: 'HTTPRoute',
    make: httpRouteExample,
    mutate: (o) => (o.spec.parentRefs = [{ name: 'edge' }, { name: 'edge', sectionName: 'http' }]),
    causes: [
      ruleFailed(
        'spec.parentRefs',
        'array',
        'sectionName or port must be specified when parentRefs includes 2 or more references to the same parent',
      ),
    ],
  },
  {
    name: 'HTTPRoute rule names not unique',
    kind: 'HTTPRoute',
    make: httpRouteExample,
    mutate: (o) => (o.spec.rules[1].name = 'api'),
    causes: [ruleFailed('spec.rules', 'array', 'Rule name must be unique within the route')],
  },
  {
    name: 'HTTPRoute backend timeout longer than request timeout',
    kind: 'HTTPRoute',
    make: httpRouteExample,
    mutate: (o) => (o.spec.rules[0].timeouts = { request: '1s', backendRequest: '1m' }),
    causes: [
      ruleFailed(
        'spec.rules[0].timeouts',
        'object',
        'backendRequest timeout cannot be longer than request timeout',
      ),
    ],
  },
  {
    name: 'HTTPRoute permanent cookie without absoluteTimeout',
    kind: 'HTTPRoute',
    make: httpRouteExample,
    mutate: (o) => delete o.spec.rules[0].sessionPersistence.absoluteTimeout,
    causes: [
      ruleFailed(
        'spec.rules[0].sessionPersistence',
        'object',
        'AbsoluteTimeout must be specified when cookie lifetimeType is Permanent',
      ),
    ],
  },
  {
    name: 'GRPCRoute service with invalid characters',
    kind: 'GRPCRoute',
    make: grpcRouteExample,
    mutate: (o) => (o.spec.rules[0].matches[0].method.service = 'hello world'),
    causes: [
      ruleFailed(
        'spec.rules[0].matches[0].method',
        'object',
        String.raw`service must only contain valid characters (matching ^(?i)\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$)`,
      ),
    ],
  },
  {
    name: 'GRPCRoute method match without service or method',
    kind: 'GRPCRoute',
    make: grpcRouteExample,
    mutate: (o) => (o.spec.rules[0].matches[0].method = {}),
    causes: [
      ruleFailed(
        'spec.rules[0].matches[0].method',
        'object',
        "One or both of 'service' or 'method' must be specified",
      ),
    ],
  },
  {
    name: 'Gateway IPAddress values not unique',
    kind: 'Gateway',
    make: gatewayExample,
    mutate: (o) => (o.spec.addresses[1].value = '10.0.0.1'),
    causes: [ruleFailed('spec.addresses', 'array', 'IPAddress values must be unique')],
  },
  {
    name: 'Gateway infrastructure label key invalid',
    kind: 'Gateway',
    make: gatewayExample,
    mutate: (o) => (o.spec.infrastructure.labels = { '-bad': 'x' }),
    causes: [
      ruleFailed(
        'spec.infrastructure.labels',
        'object',
        'Label keys must be in the form of an optional DNS subdomain prefix followed by a required name segment of up to 63 characters.',
      ),
    ],
  },
  {
    name: 'TLSRoute hostname that is an IP',
    kind: 'TLSRoute',
    make: tlsRouteExample,
    mutate: (o) => (o.spec.hostnames = ['10.1.2.3']),
    causes: [ruleFailed('spec.hostnames', 'array', 'Hostnames cannot contain an IP')],
  },
  {
    name: 'BackendTLSPolicy without CA',
    kind: 'BackendTLSPolicy',
    make: backendTlsPolicyExample,
    mutate: (o) => delete o.spec.validation.caCertificateRefs,
    causes: [
      ruleFailed(
        'spec.validation',
        'object',
        'must specify either CACertificateRefs or WellKnownCACertificates',
      ),
    ],
  },
  {
    name: 'BackendTLSPolicy Hostname SAN without hostname',
    kind: 'BackendTLSPolicy',
    make: backendTlsPolicyExample,
    mutate: (o) => (o.spec.validation.subjectAltNames = [{ type: 'Hostname' }]),
    causes: [
      ruleFailed(
        'spec.validation.subjectAltNames[0]',
        'object',
        'SubjectAltName element must contain Hostname, if Type is set to Hostname',
      ),
    ],
  },
];

describe('admitObject checks the validation rules of the CRDs', () => {
  it.each([...pathCases, ...listenerCases, ...filterCases, ...otherCases])(
    '$name',
    ({ kind, version, make, mutate, causes }) => {
      const obj = make();
      mutate(obj);
      expect(admitObject(G, version ?? 'v1', kind, obj)?.causes).toEqual(causes);
    },
  );

  it('accepts regular-expression paths the plain-path rules would refuse', () => {
    const obj = {
      spec: { rules: [{ matches: [{ path: { type: 'RegularExpression', value: '.*//#' } }] }] },
    };
    expect(admitObject(G, 'v1', 'HTTPRoute', obj)?.causes).toEqual([]);
  });

  it('skips the rules when a blocking schema error exists', () => {
    const obj: Any = pathCase('x', 'api', []).make();
    obj.spec.rules[0].matches[0].method = 'FETCH';
    expect(admitObject(G, 'v1', 'HTTPRoute', obj)?.causes).toEqual([
      {
        reason: 'FieldValueNotSupported',
        field: 'spec.rules[0].matches[0].method',
        message:
          'Unsupported value: "FETCH": supported values: "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"',
      },
      SKIPPED,
    ]);
  });

  it('still runs the rules after a non-blocking schema error', () => {
    const obj: Any = pathCase('x', 'api', []).make();
    obj.spec.hostnames = ['UPPER.example.com'];
    expect(admitObject(G, 'v1', 'HTTPRoute', obj)?.causes.map((c) => c.field)).toEqual([
      'spec.hostnames[0]',
      'spec.rules[0].matches[0].path',
    ]);
  });
});

describe('transition rules', () => {
  it('refuses a change of GatewayClass controllerName on update', () => {
    const old = gatewayClassExample();
    const obj: Any = gatewayClassExample();
    obj.spec.controllerName = 'other.dev/controller';
    expect(admitObject(G, 'v1', 'GatewayClass', obj, old)?.causes).toEqual([
      invalid('spec.controllerName', 'Invalid value: "string": Value is immutable'),
    ]);
  });

  it('allows it on create and when unchanged', () => {
    const obj: Any = gatewayClassExample();
    obj.spec.controllerName = 'other.dev/controller';
    expect(admitObject(G, 'v1', 'GatewayClass', obj)?.causes).toEqual([]);
    expect(
      admitObject(G, 'v1', 'GatewayClass', gatewayClassExample(), gatewayClassExample())?.causes,
    ).toEqual([]);
  });
});
