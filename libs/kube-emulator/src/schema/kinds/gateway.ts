/**
 * Gateway (v1, v1beta1): listeners, addresses, infrastructure and TLS settings; the status
 * defaults to Accepted/Programmed "Pending" until a controller writes it.
 */
import type { MapSchema, Obj, ObjectSchema, StringSchema } from '../dsl.ts';
import { array, integer, map, object, pattern, rule, string } from '../dsl.ts';
import { specAddresses, statusAddresses } from '../types/addresses.ts';
import {
  gatewayDefaultScope,
  group,
  kind,
  labelSelector,
  objectName,
  portNumber,
} from '../types/common.ts';
import { listeners } from '../types/listener.ts';
import { objectReference, secretObjectReference } from '../types/refs.ts';
import { conditions, listenerStatuses, pendingConditions } from '../types/status.ts';
import type { KindSchemas } from './root.ts';
import { root } from './root.ts';

const KEY = new RegExp(
  String.raw`^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$`,
);

/** Infrastructure labels/annotations: keys checked as Kubernetes label keys. */
function keyedMap(noun: 'Label' | 'Annotation', values: StringSchema, max: number): MapSchema {
  const lower = noun.toLowerCase();
  return map(values, {
    maxProperties: max,
    rules: [
      rule<Obj>(
        `${noun} keys must be in the form of an optional DNS subdomain prefix followed by a required name segment of up to 63 characters.`,
        (m) => Object.keys(m).every((k) => KEY.test(k)),
      ),
      rule<Obj>(
        `If specified, the ${lower} key's prefix must be a DNS subdomain not longer than 253 characters in total.`,
        (m) => Object.keys(m).every((k) => (k.split('/')[0] ?? '').length < 253),
      ),
    ],
  });
}

function infrastructure(): ObjectSchema {
  const labelValue = pattern('^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$');
  return object({
    annotations: keyedMap('Annotation', string({ minLength: 0, maxLength: 4096 }), 16),
    labels: keyedMap('Label', string({ minLength: 0, maxLength: 63, pattern: labelValue }), 8),
    parametersRef: object(
      { group: group(), kind: kind(), name: objectName() },
      { required: ['group', 'kind', 'name'] },
    ),
  });
}

/** Frontend TLS (client certificate validation) for all ports or one port. */
function frontendTlsConfig(): ObjectSchema {
  const validation = object(
    {
      caCertificateRefs: array(objectReference(), {
        minItems: 1,
        maxItems: 16,
        listType: 'atomic',
      }),
      mode: string({
        enum: ['AllowValidOnly', 'AllowInsecureFallback'],
        default: 'AllowValidOnly',
      }),
    },
    { required: ['caCertificateRefs'] },
  );
  return object({ validation });
}

function gatewayTls(): ObjectSchema {
  const perPort = array(
    object({ port: portNumber(), tls: frontendTlsConfig() }, { required: ['port', 'tls'] }),
    {
      maxItems: 64,
      listType: 'map',
      mapKeys: ['port'],
      rules: [
        rule<readonly unknown[]>(
          'Port for TLS configuration must be unique within the Gateway',
          (l) =>
            (l as Obj[]).every(
              (t1) => (l as Obj[]).filter((t2) => t1.port === t2.port).length === 1,
            ),
        ),
      ],
    },
  );
  return object({
    backend: object({ clientCertificateRef: secretObjectReference() }),
    frontend: object({ default: frontendTlsConfig(), perPort }, { required: ['default'] }),
  });
}

function spec(): ObjectSchema {
  const allowedListeners = object({
    namespaces: object(
      {
        from: string({ enum: ['All', 'Selector', 'Same', 'None'], default: 'None' }),
        selector: labelSelector(),
      },
      { default: { from: 'None' } },
    ),
  });
  return object(
    {
      addresses: specAddresses(),
      allowedListeners,
      defaultScope: gatewayDefaultScope(),
      gatewayClassName: objectName(),
      infrastructure: infrastructure(),
      listeners: listeners(),
      tls: gatewayTls(),
    },
    { required: ['gatewayClassName', 'listeners'] },
  );
}

function status(): ObjectSchema {
  const pending = pendingConditions(['Accepted', 'Programmed']);
  return object(
    {
      addresses: statusAddresses(),
      attachedListenerSets: integer({ format: 'int32' }),
      conditions: conditions({ default: pending }),
      listeners: listenerStatuses(),
    },
    { default: { conditions: pending } },
  );
}

const schema = root(spec(), status());

export const gateway: KindSchemas = {
  group: 'gateway.networking.k8s.io',
  kind: 'Gateway',
  versions: { v1: schema, v1beta1: schema },
};
