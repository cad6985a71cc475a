/**
 * `HTTPRouteFilter` (used on HTTPRoute rules and on their backendRefs): redirects, rewrites,
 * CORS, external auth (experimental), header modifiers, mirroring and extension refs.
 */
import type { ArraySchema, Obj, ObjectSchema } from '../dsl.ts';
import { array, boolean, integer, object, pattern, rule, string } from '../dsl.ts';
import { has } from '../values.ts';
import { headerName, PATTERNS, portNumber, preciseHostname } from './common.ts';
import { filterFieldRules, headerModifier, notRepeated, requestMirror } from './filters.ts';
import { backendObjectReference, localObjectReference } from './refs.ts';

/** `HTTPPathModifier` with its type/field agreement rules. */
function pathModifier(): ObjectSchema {
  const agree = (type: string, field: string) => [
    rule<Obj>(
      `${field} must be specified when type is set to '${type}'`,
      (p) => p.type !== type || has(p, field),
    ),
    rule<Obj>(
      `type must be '${type}' when ${field} is set`,
      (p) => !has(p, field) || p.type === type,
    ),
  ];
  return object(
    {
      replaceFullPath: string({ maxLength: 1024 }),
      replacePrefixMatch: string({ maxLength: 1024 }),
      type: string({ enum: ['ReplaceFullPath', 'ReplacePrefixMatch'] }),
    },
    {
      required: ['type'],
      rules: [
        ...agree('ReplaceFullPath', 'replaceFullPath'),
        ...agree('ReplacePrefixMatch', 'replacePrefixMatch'),
      ],
    },
  );
}

function requestRedirect(): ObjectSchema {
  return object({
    hostname: preciseHostname(),
    path: pathModifier(),
    port: portNumber(),
    scheme: string({ enum: ['http', 'https'] }),
    statusCode: integer({ enum: [301, 302, 303, 307, 308], default: 302 }),
  });
}

function urlRewrite(): ObjectSchema {
  return object({ hostname: preciseHostname(), path: pathModifier() });
}

/** A CORS list where '*' must stand alone. */
function wildcardAlone(message: string) {
  return rule<readonly unknown[]>(message, (list) => !(list.includes('*') && list.length > 1));
}

function cors(): ObjectSchema {
  const headers = () => array(headerName(), { maxItems: 64, listType: 'set' });
  const methods = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'];
  const origin = string({
    minLength: 1,
    maxLength: 253,
    pattern: pattern(
      String.raw`(^\*$)|(^(http(s)?):\/\/(((\*\.)?([a-zA-Z0-9\-]+\.)*[a-zA-Z0-9-]+|\*)(:([0-9]{1,5}))?)$)`,
    ),
  });
  return object({
    allowCredentials: boolean(),
    allowHeaders: {
      ...headers(),
      rules: [wildcardAlone("AllowHeaders cannot contain '*' alongside other methods")],
    },
    allowMethods: array(string({ enum: [...methods, '*'] }), {
      maxItems: 9,
      listType: 'set',
      rules: [wildcardAlone("AllowMethods cannot contain '*' alongside other methods")],
    }),
    allowOrigins: array(origin, {
      maxItems: 64,
      listType: 'set',
      rules: [wildcardAlone("AllowOrigins cannot contain '*' alongside other origins")],
    }),
    exposeHeaders: headers(),
    maxAge: integer({ format: 'int32', minimum: 1, default: 5 }),
  });
}

/** `HTTPExternalAuthFilter` (experimental): the protocol picks which of http/grpc is set. */
function externalAuth(): ObjectSchema {
  const headerList = () => array(string(), { maxItems: 64, listType: 'set' });
  const agree = (protocol: string, field: string) => [
    rule<Obj>(
      `${field} must be specified when protocol is set to '${protocol}'`,
      (a) => a.protocol !== protocol || has(a, field),
    ),
    rule<Obj>(
      `protocol must be '${protocol}' when ${field} is set`,
      (a) => !has(a, field) || a.protocol === protocol,
    ),
  ];
  return object(
    {
      backendRef: backendObjectReference(),
      forwardBody: object({ maxSize: integer() }),
      grpc: object({ allowedHeaders: headerList() }),
      http: object({
        allowedHeaders: headerList(),
        allowedResponseHeaders: headerList(),
        path: string({ maxLength: 1024, pattern: PATTERNS.absolutePath }),
      }),
      protocol: string({ enum: ['HTTP', 'GRPC'] }),
    },
    {
      required: ['backendRef', 'protocol'],
      rules: [...agree('GRPC', 'grpc'), ...agree('HTTP', 'http')],
    },
  );
}

const FIELD_OF_TYPE = [
  ['cors', 'CORS'],
  ['requestHeaderModifier', 'RequestHeaderModifier'],
  ['responseHeaderModifier', 'ResponseHeaderModifier'],
  ['requestMirror', 'RequestMirror'],
  ['requestRedirect', 'RequestRedirect'],
  ['urlRewrite', 'URLRewrite'],
  ['extensionRef', 'ExtensionRef'],
  ['externalAuth', 'ExternalAuth'],
] as const;

function httpRouteFilter(): ObjectSchema {
  return object(
    {
      cors: cors(),
      extensionRef: localObjectReference(),
      externalAuth: externalAuth(),
      requestHeaderModifier: headerModifier(),
      requestMirror: requestMirror(),
      requestRedirect: requestRedirect(),
      responseHeaderModifier: headerModifier(),
      type: string({
        enum: [
          'RequestHeaderModifier',
          'ResponseHeaderModifier',
          'RequestMirror',
          'RequestRedirect',
          'URLRewrite',
          'ExtensionRef',
          'CORS',
          'ExternalAuth',
        ],
      }),
      urlRewrite: urlRewrite(),
    },
    { required: ['type'], rules: filterFieldRules(FIELD_OF_TYPE) },
  );
}

/** `filters` of an HTTPRoute rule or backendRef: at most 16, most types at most once. */
export function httpFilters(): ArraySchema {
  const redirectOrRewrite = rule<readonly unknown[]>(
    'May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both',
    (filters) => {
      const types = (filters as Obj[]).map((f) => f.type);
      return !(types.includes('RequestRedirect') && types.includes('URLRewrite'));
    },
  );
  return array(httpRouteFilter(), {
    maxItems: 16,
    listType: 'atomic',
    rules: [
      redirectOrRewrite,
      ...notRepeated([
        'CORS',
        'RequestHeaderModifier',
        'ResponseHeaderModifier',
        'RequestRedirect',
        'URLRewrite',
      ]),
    ],
  });
}
