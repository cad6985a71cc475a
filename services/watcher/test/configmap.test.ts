import { beforeAll, describe, expect, it } from 'vitest';
import { createTestCertificate } from '@portico/testing';
import { toStored } from '../src/mirror.ts';

const meta = { name: 'ca', namespace: 'default', resourceVersion: '7' };
let first = '';
let second = '';

beforeAll(async () => {
  first = (await createTestCertificate(['ca-one.example'])).certPem;
  second = (await createTestCertificate(['ca-two.example'])).certPem;
});

function stored(data: Record<string, string> | undefined) {
  return toStored('ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta, data });
}

describe('ConfigMap summary', () => {
  it.each<{
    name: string;
    data: () => Record<string, string> | undefined;
    has: boolean;
    error?: RegExp;
  }>([
    { name: 'no data', data: () => undefined, has: false },
    { name: 'no ca.crt', data: () => ({ 'other.txt': 'x' }), has: false },
    { name: 'one certificate', data: () => ({ 'ca.crt': first }), has: true },
    { name: 'a bundle of two', data: () => ({ 'ca.crt': first + second }), has: true },
    {
      name: 'not PEM',
      data: () => ({ 'ca.crt': 'hello' }),
      has: true,
      error: /no PEM certificate/,
    },
    {
      name: 'a broken block',
      data: () => ({
        'ca.crt': `${first}-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`,
      }),
      has: true,
      error: /certificate 2 does not parse/,
    },
  ])('$name', ({ data, has, error }) => {
    const summary = stored(data()) as unknown as Record<string, unknown>;
    expect(summary['hasCaCertificate']).toBe(has);
    if (error === undefined) expect(summary['caCertificateError']).toBeUndefined();
    else expect(summary['caCertificateError']).toMatch(error);
    expect(summary['data']).toBeUndefined();
    expect(summary['contentHash']).toMatch(/^[0-9a-f]{16}$/);
  });

  it('changes its hash when the bundle changes, and only then', () => {
    const hash = (d: Record<string, string>) =>
      (stored(d) as unknown as { contentHash: string }).contentHash;
    expect(hash({ 'ca.crt': first })).toBe(hash({ 'ca.crt': first }));
    expect(hash({ 'ca.crt': first })).not.toBe(hash({ 'ca.crt': second }));
  });
});
