/** The protobuf decoder on hand-built bodies: field mapping, omitempty, and refusals. */
import { describe, expect, it } from 'vitest';
import { decodeProtobufObject, UnsupportedProtobufKind, WireError } from '../src/protobuf/index.ts';

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}
const ld = (field: number, bytes: number[]): number[] => [
  ...varint((field << 3) | 2),
  ...varint(bytes.length),
  ...bytes,
];
const s = (field: number, text: string): number[] => ld(field, [...Buffer.from(text)]);
const vi = (field: number, n: number): number[] => [...varint(field << 3), ...varint(n)];
const entry = (field: number, key: string, value: number[]): number[] =>
  ld(field, [...s(1, key), ...ld(2, value)]);

function body(apiVersion: string, kind: string, raw: number[]): Uint8Array {
  return Uint8Array.from([
    0x6b,
    0x38,
    0x73,
    0x00,
    ...ld(1, [...s(1, apiVersion), ...s(2, kind)]),
    ...ld(2, raw),
    ...s(3, ''),
    ...s(4, ''),
  ]);
}

describe('decodeProtobufObject', () => {
  it.each([
    {
      title: 'Secret: metadata, bytes data as base64, type; empty strings dropped',
      input: body('v1', 'Secret', [
        ...ld(1, [...s(1, 'tls'), ...s(2, ''), ...s(3, 'ns'), ...vi(7, 0), ...ld(8, [])]),
        ...entry(2, 'tls.key', [0, 0xff]),
        ...s(3, 'kubernetes.io/tls'),
      ]),
      expected: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'tls', namespace: 'ns' },
        data: { 'tls.key': 'AP8=' },
        type: 'kubernetes.io/tls',
      },
    },
    {
      title: 'ConfigMap: labels, annotations, string and binary data; unknown fields skipped',
      input: body('v1', 'ConfigMap', [
        ...ld(1, [
          ...s(1, 'cm'),
          ...entry(11, 'app', [...Buffer.from('web')]),
          ...entry(12, 'note', [...Buffer.from('x')]),
          ...vi(99, 5),
        ]),
        ...entry(2, 'k', [...Buffer.from('v')]),
        ...entry(2, 'k2', [...Buffer.from('v2')]),
        ...entry(3, 'b', [1]),
        ...vi(4, 1),
      ]),
      expected: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'cm', labels: { app: 'web' }, annotations: { note: 'x' } },
        data: { k: 'v', k2: 'v2' },
        binaryData: { b: 'AQ==' },
        immutable: true,
      },
    },
    {
      title: 'Namespace: creationTimestamp as RFC 3339, finalizers as a list',
      input: body('v1', 'Namespace', [
        ...ld(1, [...s(1, 'team'), ...ld(8, vi(1, 1_700_000_000))]),
        ...ld(2, [...s(1, 'kubernetes'), ...s(1, 'other')]),
      ]),
      expected: {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'team', creationTimestamp: '2023-11-14T22:13:20Z' },
        spec: { finalizers: ['kubernetes', 'other'] },
      },
    },
  ])('$title', ({ input, expected }) => {
    expect(decodeProtobufObject(input)).toEqual(expected);
  });

  it.each([
    { title: 'no magic prefix', input: Uint8Array.from([1, 2, 3, 4, 5]), error: WireError },
    {
      title: 'a length past the end',
      input: Uint8Array.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x20, 0x01]),
      error: WireError,
    },
    {
      title: 'a kind without a descriptor',
      input: body('apps/v1', 'Deployment', s(1, 'x')),
      error: UnsupportedProtobufKind,
    },
  ])('refuses $title', ({ input, error }) => {
    expect(() => decodeProtobufObject(input)).toThrow(error);
  });
});
