/**
 * `Listener` and its list rules, shared by Gateway `spec.listeners` and ListenerSet
 * `spec.listeners` (the two CRDs declare the same shape and the same rules).
 */
import type { ArraySchema, Obj, ObjectSchema, Rule } from '../dsl.ts';
import { array, map, object, rule, string } from '../dsl.ts';
import { has, objAt, size } from '../values.ts';
import { hostname, labelSelector, portNumber, PATTERNS, sectionName } from './common.ts';
import { routeGroupKind, secretObjectReference } from './refs.ts';

/** `certificateRefs or options` when mode is Terminate; CEL errors when it reads absent fields. */
const terminateNeedsCertificates = rule<Obj>(
  'certificateRefs or options must be specified when mode is Terminate',
  (tls) => {
    if (tls.mode !== 'Terminate') return true;
    if (size(tls.certificateRefs) > 0 || size(tls.options) > 0) return true;
    // `a || b` in CEL is an error when neither side is true and one side errored.
    if (!has(tls, 'certificateRefs')) return { evalError: 'no such key: certificateRefs' };
    if (!has(tls, 'options')) return { evalError: 'no such key: options' };
    return false;
  },
);

/** `ListenerTLSConfig`. */
function listenerTls(): ObjectSchema {
  return object(
    {
      certificateRefs: array(secretObjectReference(), { maxItems: 64, listType: 'atomic' }),
      mode: string({ enum: ['Terminate', 'Passthrough'], default: 'Terminate' }),
      options: map(string({ minLength: 0, maxLength: 4096 }), { maxProperties: 16 }),
    },
    { rules: [terminateNeedsCertificates] },
  );
}

/** `AllowedRoutes`: routes from the listener's own namespace unless said otherwise. */
function allowedRoutes(): ObjectSchema {
  return object(
    {
      kinds: array(routeGroupKind(), { maxItems: 8, listType: 'atomic' }),
      namespaces: object(
        {
          from: string({ enum: ['All', 'Selector', 'Same'], default: 'Same' }),
          selector: labelSelector(),
        },
        { default: { from: 'Same' } },
      ),
    },
    { default: { namespaces: { from: 'Same' } } },
  );
}

function listener(): ObjectSchema {
  return object(
    {
      allowedRoutes: allowedRoutes(),
      hostname: hostname(),
      name: sectionName(),
      port: portNumber(),
      protocol: string({ minLength: 1, maxLength: 255, pattern: PATTERNS.protocol }),
      tls: listenerTls(),
    },
    { required: ['name', 'port', 'protocol'] },
  );
}

function sameHostname(l1: Obj, l2: Obj): boolean {
  return has(l1, 'hostname') && has(l2, 'hostname')
    ? l1.hostname === l2.hostname
    : !has(l1, 'hostname') && !has(l2, 'hostname');
}

const listenerRules: readonly Rule<readonly unknown[]>[] = [
  rule("tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']", (ls) =>
    (ls as Obj[]).every(
      (l) => !['HTTP', 'TCP', 'UDP'].includes(String(l.protocol)) || !has(l, 'tls'),
    ),
  ),
  rule('tls mode must be Terminate for protocol HTTPS', (ls) =>
    (ls as Obj[]).every((l) => {
      const tls = objAt(l, 'tls');
      return (
        l.protocol !== 'HTTPS' || tls === undefined || ['', 'Terminate'].includes(String(tls.mode))
      );
    }),
  ),
  rule('tls mode must be set for protocol TLS', (ls) =>
    (ls as Obj[]).every((l) => {
      const tls = objAt(l, 'tls');
      return l.protocol !== 'TLS' || (has(tls, 'mode') && tls?.mode !== '');
    }),
  ),
  rule("hostname must not be specified for protocols ['TCP', 'UDP']", (ls) =>
    (ls as Obj[]).every(
      (l) =>
        !['TCP', 'UDP'].includes(String(l.protocol)) || !has(l, 'hostname') || l.hostname === '',
    ),
  ),
  rule('Listener name must be unique within the Gateway', (ls) =>
    (ls as Obj[]).every((l1) => (ls as Obj[]).filter((l2) => l1.name === l2.name).length === 1),
  ),
  rule('Combination of port, protocol and hostname must be unique for each listener', (ls) =>
    (ls as Obj[]).every(
      (l1) =>
        (ls as Obj[]).filter(
          (l2) => l1.port === l2.port && l1.protocol === l2.protocol && sameHostname(l1, l2),
        ).length === 1,
    ),
  ),
];

/** `spec.listeners`: 1-64 listeners, a list-map keyed by name. */
export function listeners(): ArraySchema {
  return array(listener(), {
    minItems: 1,
    maxItems: 64,
    listType: 'map',
    mapKeys: ['name'],
    rules: listenerRules,
  });
}
