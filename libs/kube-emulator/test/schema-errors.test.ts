import { describe, expect, it } from 'vitest';
import { admitObject } from '../src/schema/index.ts';
import {
  gatewayClassExample,
  gatewayExample,
  httpRouteExample,
  tlsRouteExample,
} from './schema-examples.ts';
import type { Any, ErrorCase } from './schema-helpers.ts';
import { G, HOSTNAME, invalid, SKIPPED } from './schema-helpers.ts';

const schemaCases: ErrorCase[] = [
  {
    name: 'unsupported enum value',
    kind: 'HTTPRoute',
    make: httpRouteExample,
    mutate: (o) => (o.spec.rules[0].matches[0].path.type = 'Foo'),
    causes: [
      {
        reason: 'FieldValueNotSupported',
        field: 'spec.rules[0].matches[0].path.type',
        message:
          'Unsupported value: "Foo": supported values: "Exact", "PathPrefix", "RegularExpression"',
      },
      SKIPPED,
    ],
  },
  {
    name: 'unsupported integer enum value',
    kind: 'HTTPRoute',
    make: httpRouteExample,
    mutate: (o) => (o.spec.rules[1].filters[0].requestRedirect.statusCode = 300),
    causes: [
      {
        reason: 'FieldValueNotSupported',
        field: 'spec.rules[1].filters[0].requestRedirect.statusCode',
        message: 'Unsupported value: 300: supported values: "301", "302", "303", "307", "308"',
      },
      SKIPPED,
    ],
  },
  {
    name: 'port below minimum',
    kind: 'Gateway',
    make: gatewayExample,
    mutate: (o) => (o.spec.listeners[0].port = 0),
    causes: [
      invalid(
        'spec.listeners[0].port',
        'Invalid value: 0: spec.listeners[0].port in body should be greater than or equal to 1',
      ),
    ],
  },
  {
    name: 'port above maximum',
    kind: 'Gateway',
    make: gatewayExample,
    mutate: (o) => (o.spec.listeners[0].port = 88888),
    causes: [
      invalid(
        'spec.listeners[0].port',
        'Invalid value: 88888: spec.listeners[0].port in body should be less than or equal to 65535',
      ),
    ],
  },
  {
    name: 'wrong type',
    kind: 'Gateway',
    make: gatewayExample,
    mutate: (o) => (o.spec.listeners[0].port = '80'),
    causes: [
      {
        reason: 'FieldValueTypeInvalid',
        field: 'spec.listeners[0].port',
        message:
          'Invalid value: "string": spec.listeners[0].port in body must be of type integer: "string"',
      },
      SKIPPED,
    ],
  },
  {
    name: 'fraction for an int32',
    kind: 'HTTPRoute',
    make: httpRouteExample,
    mutate: (o) => (o.spec.rules[0].backendRefs[0].weight = 1.5),
    causes: [
      {
        reason: 'FieldValueTypeInvalid',
        field: 'spec.rules[0].backendRefs[0].weight',
        message:
          'Invalid value: "float64": spec.rules[0].backendRefs[0].weight in body must be of type int32: "float64"',
      },
      SKIPPED,
    ],
  },
  {
    name: 'required field missing',
    kind: 'Gateway',
    make: gatewayExample,
    mutate: (o) => delete o.spec.listeners[1].name,
    causes: [
      { reason: 'FieldValueRequired', field: 'spec.listeners[1].name', message: 'Required value' },
      SKIPPED,
    ],
  },
  {
    name: 'spec missing',
    kind: 'ReferenceGrant',
    make: () => ({ metadata: { name: 'x' } }),
    mutate: () => {},
    causes: [{ reason: 'FieldValueRequired', field: 'spec', message: 'Required value' }, SKIPPED],
  },
  {
    name: 'too few items',
    kind: 'Gateway',
    make: gatewayExample,
    mutate: (o) => (o.spec.listeners = []),
    causes: [
      invalid(
        'spec.listeners',
        'Invalid value: 0: spec.listeners in body should have at least 1 items',
      ),
    ],
  },
  {
    name: 'too many items',
    kind: 'HTTPRoute',
    make: httpRouteExample,
    mutate: (o) => (o.spec.hostnames = Array.from({ length: 17 }, (_, i) => `h${i}.example.com`)),
    causes: [
      {
        reason: 'FieldValueTooMany',
        field: 'spec.hostnames',
        message: 'Too many: 17: must have at most 16 items',
      },
      SKIPPED,
    ],
  },
  {
    name: 'string too long',
    kind: 'GatewayClass',
    make: gatewayClassExample,
    mutate: (o) => (o.spec.description = 'x'.repeat(65)),
    causes: [
      {
        reason: 'FieldValueTooLong',
        field: 'spec.description',
        message: 'Too long: may not be more than 64 bytes',
      },
      SKIPPED,
    ],
  },
  {
    name: 'pattern mismatch',
    kind: 'HTTPRoute',
    make: httpRouteExample,
    mutate: (o) => (o.spec.hostnames[0] = 'Bad_Host'),
    causes: [
      invalid(
        'spec.hostnames[0]',
        `Invalid value: "Bad_Host": spec.hostnames[0] in body should match '${HOSTNAME}'`,
      ),
    ],
  },
  {
    name: 'empty name: too short and not matching',
    kind: 'Gateway',
    make: gatewayExample,
    mutate: (o) => (o.spec.listeners[3].name = ''),
    causes: [
      invalid(
        'spec.listeners[3].name',
        'Invalid value: "": spec.listeners[3].name in body should be at least 1 chars long',
      ),
      invalid(
        'spec.listeners[3].name',
        String.raw`Invalid value: "": spec.listeners[3].name in body should match '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'`,
      ),
    ],
  },
  {
    name: 'duplicate key in a list-map',
    kind: 'HTTPRoute',
    make: httpRouteExample,
    mutate: (o) => o.spec.rules[0].matches[0].headers.push({ name: 'x-env', value: 'prod' }),
    causes: [
      {
        reason: 'FieldValueDuplicate',
        field: 'spec.rules[0].matches[0].headers[1]',
        message: 'Duplicate value: map[string]interface {}{"name":"x-env"}',
      },
    ],
  },
  {
    name: 'duplicate item in a set',
    kind: 'HTTPRoute',
    make: httpRouteExample,
    mutate: (o) => o.spec.rules[0].retry.codes.push(502),
    causes: [
      {
        reason: 'FieldValueDuplicate',
        field: 'spec.rules[0].retry.codes[2]',
        message: 'Duplicate value: 502',
      },
    ],
  },
  {
    name: 'bad date-time in status',
    kind: 'GatewayClass',
    make: () => ({
      ...gatewayClassExample(),
      status: {
        conditions: [
          {
            type: 'Accepted',
            status: 'True',
            reason: 'Accepted',
            message: '',
            lastTransitionTime: 'yesterday',
          },
        ],
      },
    }),
    mutate: () => {},
    causes: [
      {
        reason: 'FieldValueTypeInvalid',
        field: 'status.conditions[0].lastTransitionTime',
        message:
          'Invalid value: "yesterday": status.conditions[0].lastTransitionTime in body must be of type date-time: "yesterday"',
      },
      SKIPPED,
    ],
  },
  {
    name: 'IPAddress that is not an IP',
    kind: 'Gateway',
    make: gatewayExample,
    mutate: (o) => (o.spec.addresses[0].value = 'not-an-ip'),
    causes: [
      invalid(
        '<nil>',
        'Invalid value: "": spec.addresses[0] must validate at least one schema (anyOf)',
      ),
      ...['ipv4', 'ipv6'].map((format) => ({
        reason: 'FieldValueTypeInvalid' as const,
        field: 'spec.addresses[0].value',
        message: `Invalid value: "not-an-ip": spec.addresses[0].value in body must be of type ${format}: "not-an-ip"`,
      })),
      SKIPPED,
    ],
  },
  {
    name: 'TLSRoute v1 without hostnames',
    kind: 'TLSRoute',
    make: tlsRouteExample,
    mutate: (o) => delete o.spec.hostnames,
    causes: [
      { reason: 'FieldValueRequired', field: 'spec.hostnames', message: 'Required value' },
      SKIPPED,
    ],
  },
  {
    name: 'TCPRoute v1 with two rules',
    kind: 'TCPRoute',
    make: () => ({
      spec: {
        rules: [
          { backendRefs: [{ name: 'a', port: 1 }] },
          { backendRefs: [{ name: 'b', port: 1 }] },
        ],
      },
    }),
    mutate: () => {},
    causes: [
      {
        reason: 'FieldValueTooMany',
        field: 'spec.rules',
        message: 'Too many: 2: must have at most 1 item',
      },
      SKIPPED,
    ],
  },
  {
    name: 'header value with a trailing space (experimental pattern)',
    kind: 'HTTPRoute',
    make: httpRouteExample,
    mutate: (o) => (o.spec.rules[0].matches[0].headers[0].value = 'canary '),
    causes: [
      invalid(
        'spec.rules[0].matches[0].headers[0].value',
        String.raw`Invalid value: "canary ": spec.rules[0].matches[0].headers[0].value in body should match '^[!-~]+([\t ]?[!-~]+)*$'`,
      ),
    ],
  },
];

describe('admitObject reports schema errors like the API server', () => {
  it.each(schemaCases)('$kind: $name', ({ kind, version, make, mutate, causes }) => {
    const obj = make();
    mutate(obj);
    expect(admitObject(G, version ?? 'v1', kind, obj)?.causes).toEqual(causes);
  });

  it('stays fast on a long header value that fails the pattern', () => {
    const obj: Any = httpRouteExample();
    obj.spec.rules[0].matches[0].headers[0].value = `${'a'.repeat(4000)}\n`;
    const started = performance.now();
    const result = admitObject(G, 'v1', 'HTTPRoute', obj);
    expect(result?.causes.map((c) => c.field)).toEqual([
      'spec.rules[0].matches[0].headers[0].value',
    ]);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
