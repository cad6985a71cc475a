import { describe, expect, it } from 'vitest';
import { contentHash, IR_SCHEMA_VERSION, type GatewayIR } from '@portico/ir';
import { IRHashes } from '../src/ir-hash.ts';

const KEY = 'gateway/default/gw';

function ir(host: string, upstream = 'default__web__80'): GatewayIR {
  return {
    schemaVersion: IR_SCHEMA_VERSION,
    gateway: { namespace: 'default', name: 'gw' },
    httpServers: [
      {
        port: 80,
        protocol: 'HTTP',
        virtualHosts: [
          {
            hostname: host,
            rules: [
              {
                id: 'r1',
                source: {
                  kind: 'HTTPRoute',
                  namespace: 'default',
                  name: 'web',
                  ruleIndex: 0,
                  matchIndex: 0,
                },
                match: { path: { type: 'PathPrefix', value: '/' } },
                backends: [{ upstream, weight: 1 }],
              },
            ],
          },
        ],
      },
    ],
    upstreams: [],
  };
}

describe('IRHashes', () => {
  it.each([
    ['an equal IR built again', ir('a.example'), ir('a.example')],
    ['a changed hostname', ir('a.example'), ir('b.example')],
    ['a changed backend deep inside', ir('a.example'), ir('a.example', 'default__api__80')],
  ])('gives contentHash for %s', (_name, first, second) => {
    const hashes = new IRHashes();
    expect(hashes.hash(KEY, first)).toBe(contentHash(first));
    expect(hashes.hash(KEY, second)).toBe(contentHash(second));
    expect(hashes.hash(KEY, first)).toBe(contentHash(first)); // and back
  });

  it('keeps Gateways apart and forgets a withdrawn one', () => {
    const hashes = new IRHashes();
    const a = ir('a.example');
    const b = ir('b.example');
    expect(hashes.hash(KEY, a)).toBe(contentHash(a));
    expect(hashes.hash('gateway/default/other', b)).toBe(contentHash(b));
    expect(hashes.hash(KEY, ir('a.example'))).toBe(contentHash(a));
    hashes.forget(KEY);
    expect(hashes.hash(KEY, b)).toBe(contentHash(b));
  });
});
