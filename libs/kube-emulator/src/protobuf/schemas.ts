/**
 * Protobuf descriptors of the built-in kinds that kubectl sends as protobuf (its typed
 * clients: `kubectl create namespace|secret|configmap`), with the field numbers of
 * `k8s.io/api/core/v1` and `k8s.io/apimachinery/pkg/apis/meta/v1` `generated.proto`
 * (checked against the bytes kubectl 1.32 sends). Only the fields those commands can set
 * are listed; unknown fields are skipped, as protobuf decoders do.
 */

/** How one field decodes into JSON. */
export type FieldType =
  | 'string'
  /** Bytes, written as base64 in JSON (Secret data, ConfigMap binaryData). */
  | 'bytes'
  | 'int64'
  | 'bool'
  /** `metav1.Time`: seconds and nanos, written as RFC 3339 in JSON. */
  | 'time'
  | { message: MessageSchema }
  | { map: 'string' | 'bytes' }
  | { repeated: 'string' };

export interface FieldSchema {
  json: string;
  type: FieldType;
}

export type MessageSchema = Readonly<Record<number, FieldSchema>>;

const OBJECT_META: MessageSchema = {
  1: { json: 'name', type: 'string' },
  2: { json: 'generateName', type: 'string' },
  3: { json: 'namespace', type: 'string' },
  5: { json: 'uid', type: 'string' },
  6: { json: 'resourceVersion', type: 'string' },
  7: { json: 'generation', type: 'int64' },
  8: { json: 'creationTimestamp', type: 'time' },
  11: { json: 'labels', type: { map: 'string' } },
  12: { json: 'annotations', type: { map: 'string' } },
  14: { json: 'finalizers', type: { repeated: 'string' } },
};

const metadata: FieldSchema = { json: 'metadata', type: { message: OBJECT_META } };

/** Descriptors by `apiVersion/kind`. */
export const KIND_SCHEMAS: Readonly<Record<string, MessageSchema>> = {
  'v1/Namespace': {
    1: metadata,
    2: {
      json: 'spec',
      type: { message: { 1: { json: 'finalizers', type: { repeated: 'string' } } } },
    },
  },
  'v1/Secret': {
    1: metadata,
    2: { json: 'data', type: { map: 'bytes' } },
    3: { json: 'type', type: 'string' },
    4: { json: 'stringData', type: { map: 'string' } },
    5: { json: 'immutable', type: 'bool' },
  },
  'v1/ConfigMap': {
    1: metadata,
    2: { json: 'data', type: { map: 'string' } },
    3: { json: 'binaryData', type: { map: 'bytes' } },
    4: { json: 'immutable', type: 'bool' },
  },
};
