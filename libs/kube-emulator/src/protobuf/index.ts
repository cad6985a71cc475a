/**
 * Decoding of `application/vnd.kubernetes.protobuf` request bodies. kubectl's typed clients
 * (`kubectl create secret|configmap|namespace`) send protobuf; kube-apiserver accepts it, so
 * the emulator turns such a body into the JSON object it would have received. The body is
 * the 4-byte magic `k8s\0` and a `runtime.Unknown` envelope: `typeMeta` (1: apiVersion,
 * 2: kind), `raw` (the object), `contentEncoding`, `contentType`.
 *
 * JSON conventions follow the Go types' `omitempty`: empty strings, zero numbers, false and
 * empty messages are left out (protobuf sends them explicitly).
 */
import type { JsonObject } from '../util.ts';
import { KIND_SCHEMAS, type FieldType, type MessageSchema } from './schemas.ts';
import { readFields, WireError, type WireField } from './wire.ts';

export { WireError } from './wire.ts';

/** The media type of Kubernetes protobuf bodies. */
export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

const MAGIC = [0x6b, 0x38, 0x73, 0x00];

/** A protobuf body of a kind the emulator has no descriptor for: answered 415. */
export class UnsupportedProtobufKind extends Error {}

/** Decodes a protobuf body into the JSON object it stands for. */
export function decodeProtobufObject(body: Uint8Array): JsonObject {
  if (body.length < 4 || MAGIC.some((b, i) => body[i] !== b)) {
    throw new WireError('missing the k8s protobuf magic prefix');
  }
  const envelope = readFields(body.subarray(4));
  const typeMeta = decodeMessage(bytesOf(envelope, 1), {
    1: { json: 'apiVersion', type: 'string' },
    2: { json: 'kind', type: 'string' },
  });
  const apiVersion = typeof typeMeta.apiVersion === 'string' ? typeMeta.apiVersion : '';
  const kind = typeof typeMeta.kind === 'string' ? typeMeta.kind : '';
  const encoding = stringOf(envelope, 3);
  if (encoding !== '') throw new WireError(`unsupported contentEncoding "${encoding}"`);
  const schema = KIND_SCHEMAS[`${apiVersion}/${kind}`];
  if (schema === undefined) {
    throw new UnsupportedProtobufKind(
      `the emulator decodes protobuf only for ${Object.keys(KIND_SCHEMAS).join(', ')}; send ${apiVersion}/${kind} as JSON`,
    );
  }
  return { apiVersion, kind, ...decodeMessage(bytesOf(envelope, 2), schema) };
}

function bytesOf(fields: readonly WireField[], number: number): Uint8Array {
  const field = fields.findLast((f) => f.number === number);
  if (field === undefined) return new Uint8Array();
  if (field.wireType !== 2) throw new WireError(`field ${number} is not length-delimited`);
  return field.value;
}

function stringOf(fields: readonly WireField[], number: number): string {
  return Buffer.from(bytesOf(fields, number)).toString('utf8');
}

function decodeMessage(bytes: Uint8Array, schema: MessageSchema): JsonObject {
  const out: JsonObject = {};
  for (const field of readFields(bytes)) {
    const known = schema[field.number];
    if (known === undefined) continue;
    const value = decodeValue(field, known.type, out[known.json]);
    if (value !== undefined) out[known.json] = value;
  }
  return out;
}

function decodeValue(field: WireField, type: FieldType, previous: unknown): unknown {
  if (type === 'int64' || type === 'bool') {
    if (field.wireType !== 0) throw new WireError(`field ${field.number} is not a varint`);
    if (type === 'bool') return field.value !== 0n ? true : undefined;
    const n = BigInt.asIntN(64, field.value);
    return n === 0n ? undefined : Number(n);
  }
  if (field.wireType !== 2) throw new WireError(`field ${field.number} is not length-delimited`);
  const bytes = field.value;
  if (type === 'string') return emptyToUndefined(Buffer.from(bytes).toString('utf8'));
  if (type === 'bytes') return Buffer.from(bytes).toString('base64');
  if (type === 'time') return decodeTime(bytes);
  if ('message' in type) {
    const message = decodeMessage(bytes, type.message);
    return Object.keys(message).length === 0 ? undefined : message;
  }
  if ('map' in type) {
    const entry = readFields(bytes);
    const key = Buffer.from(bytesOf(entry, 1)).toString('utf8');
    const raw = bytesOf(entry, 2);
    const value =
      type.map === 'bytes' ? Buffer.from(raw).toString('base64') : Buffer.from(raw).toString();
    return { ...(previous as JsonObject | undefined), [key]: value };
  }
  const list = Array.isArray(previous) ? previous : [];
  return [...list, Buffer.from(bytes).toString('utf8')];
}

function decodeTime(bytes: Uint8Array): string | undefined {
  const seconds = readFields(bytes).find((f) => f.number === 1);
  if (seconds === undefined || seconds.wireType !== 0 || seconds.value === 0n) return undefined;
  const ms = Number(BigInt.asIntN(64, seconds.value)) * 1000;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function emptyToUndefined(value: string): string | undefined {
  return value === '' ? undefined : value;
}
