/**
 * The protobuf wire format, as far as decoding Kubernetes objects needs it: varints,
 * length-delimited fields and the fixed-width ones (skipped). Pure; throws `WireError` on
 * truncated or malformed input so the caller can answer 400 like kube-apiserver.
 */

/** A malformed protobuf body. */
export class WireError extends Error {}

/** One field as read from the wire: varints as bigint, length-delimited as bytes. */
export type WireField =
  | { number: number; wireType: 0; value: bigint }
  | { number: number; wireType: 2; value: Uint8Array }
  | { number: number; wireType: 1 | 5 };

function readVarint(bytes: Uint8Array, start: number): { value: bigint; next: number } {
  let value = 0n;
  let shift = 0n;
  for (let i = start; i < bytes.length && i < start + 10; i++) {
    const byte = bytes[i] ?? 0;
    value |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return { value, next: i + 1 };
    shift += 7n;
  }
  throw new WireError('truncated or overlong varint');
}

/** The fields of one message, in wire order. */
export function readFields(bytes: Uint8Array): WireField[] {
  const fields: WireField[] = [];
  let at = 0;
  while (at < bytes.length) {
    const tag = readVarint(bytes, at);
    at = tag.next;
    const number = Number(tag.value >> 3n);
    const wireType = Number(tag.value & 7n);
    if (number === 0) throw new WireError('field number 0');
    switch (wireType) {
      case 0: {
        const v = readVarint(bytes, at);
        fields.push({ number, wireType, value: v.value });
        at = v.next;
        break;
      }
      case 2: {
        const length = readVarint(bytes, at);
        const end = length.next + Number(length.value);
        if (end > bytes.length) throw new WireError(`field ${number} runs past the end`);
        fields.push({ number, wireType, value: bytes.subarray(length.next, end) });
        at = end;
        break;
      }
      case 1:
      case 5:
        at += wireType === 1 ? 8 : 4;
        if (at > bytes.length) throw new WireError(`field ${number} runs past the end`);
        fields.push({ number, wireType });
        break;
      default:
        throw new WireError(`unsupported wire type ${wireType} (field ${number})`);
    }
  }
  return fields;
}
