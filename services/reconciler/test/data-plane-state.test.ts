import { describe, expect, it } from 'vitest';
import type { RendererAck } from '@portico/store';
import { dataPlaneState } from '../src/reconcile.ts';

const ack = (rendererId: string, hash: string, ok: boolean, error?: string): RendererAck => ({
  rendererId,
  hash,
  ok,
  ...(error === undefined ? {} : { error }),
});

describe('dataPlaneState', () => {
  it.each([
    { name: 'no acks: pending', acks: [], expected: {} },
    {
      name: 'an ok ack of the current hash: applied',
      acks: [ack('r1', 'h2', true)],
      expected: { appliedHash: 'h2' },
    },
    {
      name: 'only acks of an older hash: pending',
      acks: [ack('r1', 'h1', true), ack('r2', 'h1', false, 'old failure')],
      expected: {},
    },
    {
      name: 'a failed ack of the current hash: its error',
      acks: [ack('r1', 'h2', false, 'nginx -t failed: unknown directive')],
      expected: { error: 'nginx -t failed: unknown directive' },
    },
    {
      name: 'one replica applied, another refused: the refusal wins',
      acks: [ack('r1', 'h2', true), ack('r2', 'h2', false, 'bind() failed')],
      expected: { error: 'bind() failed' },
    },
    {
      name: 'a failed ack without a message: a generic error',
      acks: [ack('r1', 'h2', false)],
      expected: { error: 'the data plane refused the configuration' },
    },
    {
      name: 'an old failure, a current success: applied',
      acks: [ack('r1', 'h1', false, 'old'), ack('r2', 'h2', true)],
      expected: { appliedHash: 'h2' },
    },
  ])('$name', ({ acks, expected }) => {
    expect(dataPlaneState(acks, 'h2')).toEqual(expected);
  });
});
