import { describe, expect, it } from 'vitest';
import { findKind, type KindInfo } from '../src/kinds.ts';
import { applyPatchBody, mergePatch, strategicMergePatch } from '../src/patch/index.ts';
import type { ApiError } from '../src/status.ts';

const service = findKind('', 'v1', 'services') as KindInfo;
const gateway = findKind('gateway.networking.k8s.io', 'v1', 'gateways') as KindInfo;
const meta = service.patchMeta ?? { mergeKeys: {}, primitiveMergeLists: [] };

const svc = {
  metadata: { name: 's', finalizers: ['a', 'b'], labels: { keep: '1', drop: '2' } },
  spec: {
    type: 'ClusterIP',
    ports: [
      { name: 'http', port: 80, targetPort: 8080 },
      { name: 'https', port: 443 },
    ],
    selector: { app: 'x' },
  },
};

describe('merge patch (RFC 7386)', () => {
  it.each([
    ['replaces scalars', { a: 1 }, { a: 2 }, { a: 2 }],
    ['null deletes', { a: 1, b: 2 }, { a: null }, { b: 2 }],
    ['merges nested objects', { a: { x: 1, y: 2 } }, { a: { y: 3 } }, { a: { x: 1, y: 3 } }],
    ['replaces arrays', { a: [1, 2] }, { a: [3] }, { a: [3] }],
  ])('%s', (_name, target, patch, expected) => {
    expect(mergePatch(target, patch)).toEqual(expected);
  });
});

describe('strategic merge patch', () => {
  it.each([
    [
      'merges ports by port',
      { spec: { ports: [{ port: 80, targetPort: 9090 }] } },
      (r: typeof svc) => r.spec.ports,
      [
        { name: 'http', port: 80, targetPort: 9090 },
        { name: 'https', port: 443 },
      ],
    ],
    [
      'adds a port',
      { spec: { ports: [{ port: 8443, name: 'alt' }] } },
      (r: typeof svc) => r.spec.ports.map((p) => p.port),
      [80, 443, 8443],
    ],
    [
      '$patch: delete removes a port',
      { spec: { ports: [{ port: 80, $patch: 'delete' }] } },
      (r: typeof svc) => r.spec.ports.map((p) => p.port),
      [443],
    ],
    [
      '$patch: replace replaces the list',
      { spec: { ports: [{ $patch: 'replace' }, { port: 1 }] } },
      (r: typeof svc) => r.spec.ports,
      [{ port: 1 }],
    ],
    [
      '$setElementOrder reorders',
      { spec: { '$setElementOrder/ports': [{ port: 443 }, { port: 80 }] } },
      (r: typeof svc) => r.spec.ports.map((p) => p.port),
      [443, 80],
    ],
    [
      'null deletes a key',
      { metadata: { labels: { drop: null } } },
      (r: typeof svc) => r.metadata.labels,
      { keep: '1' },
    ],
    [
      '$retainKeys drops the others',
      { spec: { $retainKeys: ['type', 'ports'], type: 'NodePort' } },
      (r: typeof svc) => Object.keys(r.spec).sort(),
      ['ports', 'type'],
    ],
    [
      'primitive merge list is a union',
      { metadata: { finalizers: ['b', 'c'] } },
      (r: typeof svc) => r.metadata.finalizers,
      ['a', 'b', 'c'],
    ],
    [
      '$deleteFromPrimitiveList',
      { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } },
      (r: typeof svc) => r.metadata.finalizers,
      ['b'],
    ],
    [
      '$patch: replace on a map',
      { spec: { selector: { $patch: 'replace', tier: 'y' } } },
      (r: typeof svc) => r.spec.selector,
      { tier: 'y' },
    ],
    [
      '$patch: delete on a map',
      { spec: { selector: { $patch: 'delete' } } },
      (r: typeof svc) => r.spec.selector,
      undefined,
    ],
  ])('%s', (_name, patch, pick, expected) => {
    const result = strategicMergePatch(svc, patch as Record<string, unknown>, meta) as typeof svc;
    expect(pick(result)).toEqual(expected);
  });

  it('does not modify the original', () => {
    const before = JSON.stringify(svc);
    strategicMergePatch(svc, { spec: { ports: [{ port: 80, $patch: 'delete' }] } }, meta);
    expect(JSON.stringify(svc)).toBe(before);
  });

  it('applies what kubectl apply sends for a changed Service port', () => {
    const patch = {
      spec: {
        '$setElementOrder/ports': [{ port: 8080 }, { port: 443 }],
        ports: [
          { name: 'http', port: 8080, targetPort: 8080 },
          { $patch: 'delete', port: 80 },
        ],
      },
    };
    const result = strategicMergePatch(svc, patch, meta) as typeof svc;
    expect(result.spec.ports).toEqual([
      { name: 'http', port: 8080, targetPort: 8080 },
      { name: 'https', port: 443 },
    ]);
  });
});

describe('patch by content type', () => {
  it('applies a JSON patch', () => {
    const ops = JSON.stringify([{ op: 'replace', path: '/spec/type', value: 'NodePort' }]);
    expect(
      (applyPatchBody('application/json-patch+json', svc, ops, service).spec as { type: string })
        .type,
    ).toBe('NodePort');
  });

  it('refuses a failing JSON patch test with 422', () => {
    const ops = JSON.stringify([{ op: 'test', path: '/spec/type', value: 'NodePort' }]);
    expect(() => applyPatchBody('application/json-patch+json', svc, ops, service)).toThrow(
      expect.objectContaining({ code: 422 }) as ApiError,
    );
  });

  it.each([
    ['strategic merge on a custom kind', 'application/strategic-merge-patch+json', gateway],
    ['server-side apply', 'application/apply-patch+yaml', service],
  ])('answers 415 for %s', (_name, type, info) => {
    expect(() => applyPatchBody(type, svc, '{}', info)).toThrow(
      expect.objectContaining({ code: 415 }) as ApiError,
    );
  });
});
