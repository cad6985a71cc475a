import { describe, expect, it } from 'vitest';
import type { GatewayIR, SubjectAltNameIR, UpstreamTlsIR } from '@portico/ir';
import { needsBridge, RenderError, renderNginx } from '@portico/nginx-render';
import { prefixServer } from './support/ir.ts';
import { settingsUnder } from './support/nginx.ts';

const settings = settingsUnder('/srv/portico', { paths: { ...paths(), socketDir: '/run/p' } });
const CA = { kind: 'ConfigMap' as const, namespace: 'default', name: 'ca', contentHash: 'ab12' };
const HOST = 'abc.example.com';
const URI: SubjectAltNameIR = { type: 'URI', uri: 'spiffe://abc.example.com/test-identity' };
const SAME: SubjectAltNameIR = { type: 'Hostname', hostname: HOST };
const OTHER: SubjectAltNameIR = { type: 'Hostname', hostname: 'dce.example.com' };

function paths(): ReturnType<typeof settingsUnder>['paths'] {
  return settingsUnder('/srv/portico').paths;
}

function tls(subjectAltNames?: SubjectAltNameIR[]): UpstreamTlsIR {
  return {
    serverName: HOST,
    trustedCertificates: [CA],
    ...(subjectAltNames === undefined ? {} : { subjectAltNames }),
    policy: 'default/p',
  };
}

/** One Gateway, one rule to upstream `a` (two endpoints) with `upstreamTls`. */
function gateway(name: string, upstreamTls: UpstreamTlsIR): GatewayIR {
  return {
    schemaVersion: 2,
    gateway: { namespace: 'default', name },
    httpServers: [prefixServer(80, '*', ['a'])],
    upstreams: [
      {
        name: 'a',
        service: { namespace: 'default', name: 'a', port: 443 },
        endpoints: [
          { address: '10.0.0.1', port: 8443 },
          { address: '10.0.0.2', port: 8443 },
        ],
        tls: upstreamTls,
      },
    ],
  };
}

function gatewayFile(ir: GatewayIR): string {
  const result = renderNginx([ir], settings);
  return result.files.find((f) => f.path.startsWith('http/default_'))?.contents ?? '';
}

describe('backend TLS bridge plan', () => {
  it.each<[string, SubjectAltNameIR[], boolean]>([
    ['no SANs: NGINX checks the hostname', [], false],
    ['the hostname alone: NGINX checks it', [SAME], false],
    ['another hostname', [OTHER], true],
    ['a URI', [URI], true],
    ['a URI and the hostname', [URI, SAME], true],
    ['the hostname twice', [SAME, SAME], true],
  ])('%s', (_name, sans, bridged) => {
    expect(needsBridge(HOST, sans)).toBe(bridged);
    const file = gatewayFile(gateway('gw', tls(sans)));
    expect(file.includes('proxy_ssl_verify on;')).toBe(!bridged);
    expect(/server unix:\/run\/p\/btls_[0-9a-f]{16}\.sock/.test(file)).toBe(bridged);
  });

  it('one socket per endpoint, listed once, in socket order', () => {
    const result = renderNginx([gateway('gw', tls([URI]))], settings);
    const sockets = result.backendTlsBridges.map((b) => b.socket);
    expect(sockets).toHaveLength(2);
    expect([...sockets].sort()).toEqual(sockets);
    expect(result.backendTlsBridges.map((b) => `${b.address}:${b.port}`).sort()).toEqual([
      '10.0.0.1:8443',
      '10.0.0.2:8443',
    ]);
    expect(result.backendTlsBridges[0]).toMatchObject({
      serverName: HOST,
      subjectAltNames: [URI],
      policy: 'default/p',
    });
    expect(result.certificates.map((c) => c.certificatePath)).toEqual([
      result.backendTlsBridges[0]?.trustedCertificatePath,
    ]);
  });

  it('Gateways with equal settings share sockets; other SANs get other sockets', () => {
    const shared = renderNginx([gateway('one', tls([URI])), gateway('two', tls([URI]))], settings);
    expect(shared.backendTlsBridges).toHaveLength(2);
    const other = renderNginx([gateway('one', tls([OTHER]))], settings);
    const before = new Set(shared.backendTlsBridges.map((b) => b.socket));
    expect(other.backendTlsBridges.some((b) => before.has(b.socket))).toBe(false);
  });

  it.each<[string, SubjectAltNameIR, RegExp]>([
    ['a URI with a space', { type: 'URI', uri: 'spiffe://a/b c' }, /subjectAltNames\[0\]\.uri/],
    ['a URI without authority', { type: 'URI', uri: 'urn:x:y' }, /subjectAltNames\[0\]\.uri/],
    ['a wildcard hostname', { type: 'Hostname', hostname: '*.example.com' }, /hostname/],
    ['a hostname with syntax', { type: 'Hostname', hostname: 'a.com; x' }, /hostname/],
  ])('%s is a RenderError naming the field', (_name, san, field) => {
    let error: unknown;
    try {
      renderNginx([gateway('gw', tls([san]))], settings);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RenderError);
    expect((error as RenderError).message).toMatch(field);
  });
});
