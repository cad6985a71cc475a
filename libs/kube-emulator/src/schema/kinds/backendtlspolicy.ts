/**
 * BackendTLSPolicy (v1; v1alpha3 on the experimental channel): how a Gateway verifies the TLS
 * certificate of a backend Service.
 */
import type { Obj, ObjectSchema } from '../dsl.ts';
import { array, map, object, pattern, rule, string } from '../dsl.ts';
import {
  group,
  hostname,
  kind,
  objectName,
  preciseHostname,
  sectionName,
} from '../types/common.ts';
import { localObjectReference } from '../types/refs.ts';
import { policyStatus } from '../types/status.ts';
import { has, sameOptional, unsetOrZero } from '../values.ts';
import type { KindSchemas } from './root.ts';
import { root } from './root.ts';

const sameTarget = (p1: Obj, p2: Obj) =>
  p1.group === p2.group && p1.kind === p2.kind && p1.name === p2.name;

function targetRefs() {
  const ref = object(
    { group: group(), kind: kind(), name: objectName(), sectionName: sectionName() },
    { required: ['group', 'kind', 'name'] },
  );
  return array(ref, {
    minItems: 1,
    maxItems: 16,
    listType: 'atomic',
    rules: [
      rule<readonly unknown[]>(
        'sectionName must be specified when targetRefs includes 2 or more references to the same target',
        (refs) =>
          (refs as Obj[]).every((p1) =>
            (refs as Obj[]).every(
              (p2) =>
                !sameTarget(p1, p2) ||
                unsetOrZero(p1, 'sectionName') === unsetOrZero(p2, 'sectionName'),
            ),
          ),
      ),
      rule<readonly unknown[]>(
        'sectionName must be unique when targetRefs includes 2 or more references to the same target',
        (refs) =>
          (refs as Obj[]).every(
            (p1) =>
              (refs as Obj[]).filter(
                (p2) => sameTarget(p1, p2) && sameOptional(p1, p2, 'sectionName'),
              ).length === 1,
          ),
      ),
    ],
  });
}

/** A SubjectAltName: `hostname` exactly when type is Hostname, `uri` exactly when URI. */
function subjectAltName(): ObjectSchema {
  const agree = (type: string, field: string, noun: string) => [
    rule<Obj>(
      `SubjectAltName element must contain ${noun}, if Type is set to ${noun}`,
      (s) => !(s.type === type && (!has(s, field) || s[field] === '')),
    ),
    rule<Obj>(
      `SubjectAltName element must not contain ${noun}, if Type is not set to ${noun}`,
      (s) => !(s.type !== type && has(s, field) && s[field] !== ''),
    ),
  ];
  return object(
    {
      hostname: hostname(),
      type: string({ enum: ['Hostname', 'URI'] }),
      uri: string({
        minLength: 1,
        maxLength: 253,
        pattern: pattern('^(([^:/?#]+):)(//([^/?#]*))([^?#]*)(\\?([^#]*))?(#(.*))?'),
      }),
    },
    {
      required: ['type'],
      rules: [...agree('Hostname', 'hostname', 'Hostname'), ...agree('URI', 'uri', 'URI')],
    },
  );
}

function validation(): ObjectSchema {
  const hasCaRefs = (v: Obj) =>
    has(v, 'caCertificateRefs') && (v.caCertificateRefs as unknown[]).length > 0;
  const hasWellKnown = (v: Obj) =>
    has(v, 'wellKnownCACertificates') && v.wellKnownCACertificates !== '';
  return object(
    {
      caCertificateRefs: array(localObjectReference(), { maxItems: 8, listType: 'atomic' }),
      hostname: preciseHostname(),
      subjectAltNames: array(subjectAltName(), { maxItems: 5, listType: 'atomic' }),
      wellKnownCACertificates: string({
        minLength: 1,
        maxLength: 253,
        pattern: pattern(
          String.raw`^(System|([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]))$`,
        ),
      }),
    },
    {
      required: ['hostname'],
      rules: [
        rule<Obj>(
          'must not contain both CACertificateRefs and WellKnownCACertificates',
          (v) => !(hasCaRefs(v) && hasWellKnown(v)),
        ),
        rule<Obj>(
          'must specify either CACertificateRefs or WellKnownCACertificates',
          (v) => hasCaRefs(v) || hasWellKnown(v),
        ),
      ],
    },
  );
}

function spec(): ObjectSchema {
  return object(
    {
      options: map(string({ minLength: 0, maxLength: 4096 }), { maxProperties: 16 }),
      targetRefs: targetRefs(),
      validation: validation(),
    },
    { required: ['targetRefs', 'validation'] },
  );
}

const schema = root(spec(), policyStatus());

export const backendTlsPolicy: KindSchemas = {
  group: 'gateway.networking.k8s.io',
  kind: 'BackendTLSPolicy',
  versions: { v1: schema, v1alpha3: schema },
};
