import { describe, expect, it } from 'vitest';
import type { GatewayIR, UpstreamIR, UpstreamTlsIR } from '@portico/ir';
import { RenderError, renderNginx } from '@portico/nginx-render';
import { prefixServer } from './support/ir.ts';
import { settingsUnder } from './support/nginx.ts';

const settings = settingsUnder('/srv/portico');
const CA = { kind: 'ConfigMap' as const, namespace: 'default', name: 'ca', contentHash: 'ab12' };
const TLS: UpstreamTlsIR = {
  serverName: 'backend.example.com',
  trustedCertificates: [CA],
  policy: 'default/p',
};

function upstream(name: string, tls?: UpstreamTlsIR): UpstreamIR {
  return {
    name,
    service: { namespace: 'default', name, port: 443 },
    endpoints: [{ address: '10.0.0.1', port: 8443 }],
    ...(tls === undefined ? {} : { tls }),
  };
}

/** One rule splitting between `a` and `b`, with the given upstream TLS settings. */
function gateway(a?: UpstreamTlsIR, b?: UpstreamTlsIR): GatewayIR {
  return {
    schemaVersion: 2,
    gateway: { namespace: 'default', name: 'gw' },
    httpServers: [prefixServer(80, '*', ['a', 'b'])],
    upstreams: [upstream('a', a), upstream('b', b)],
  };
}

function renderError(ir: GatewayIR): RenderError {
  try {
    renderNginx([ir], settings);
  } catch (error) {
    if (error instanceof RenderError) return error;
    throw error;
  }
  throw new Error('expected a RenderError');
}

describe('TLS to backends', () => {
  it.each<[string, UpstreamTlsIR | undefined, UpstreamTlsIR | undefined, RegExp]>([
    ['a split between a TLS and a plain backend', TLS, undefined, /different BackendTLSPolicy/],
    [
      'a split between two hostnames',
      TLS,
      { ...TLS, serverName: 'other.example.com' },
      /different/,
    ],
    [
      'a wildcard server name',
      { ...TLS, serverName: '*.example.com' },
      { ...TLS, serverName: '*.example.com' },
      /serverName/,
    ],
    [
      'a server name with NGINX syntax',
      { ...TLS, serverName: 'a.com; evil' },
      undefined,
      /serverName/,
    ],
    ['no CA', { ...TLS, trustedCertificates: [] }, undefined, /trustedCertificates/],
    [
      'a CA hash that is not hex',
      { ...TLS, trustedCertificates: [{ ...CA, contentHash: '../x' }] },
      undefined,
      /contentHash/,
    ],
    [
      'a CA name with a path',
      { ...TLS, trustedCertificates: [{ ...CA, name: '../../etc' }] },
      undefined,
      /name/,
    ],
    [
      'an unknown well-known CA set',
      { ...TLS, trustedCertificates: [], wellKnownCACertificates: 'Corp' as 'System' },
      undefined,
      /wellKnownCACertificates: only System/,
    ],
    [
      'System CAs beside referenced ones',
      { ...TLS, wellKnownCACertificates: 'System' },
      undefined,
      /wellKnownCACertificates: excludes trustedCertificates/,
    ],
    [
      'a split between System CAs and a referenced CA',
      { ...TLS, trustedCertificates: [], wellKnownCACertificates: 'System' },
      TLS,
      /different/,
    ],
  ])('%s is a RenderError naming the field', (_name, a, b, message) => {
    expect(renderError(gateway(a, b)).message).toMatch(message);
  });

  it('a split between backends of one policy proxies over TLS with one set of settings', () => {
    const result = renderNginx([gateway(TLS, TLS)], settings);
    const file = result.files.find((f) => f.path === 'http/default_gw.conf')?.contents ?? '';
    expect(file).toMatch(/proxy_pass https:\/\/\$portico_split_/);
    expect(file.match(/proxy_ssl_name "backend.example.com";/g)?.length).toBe(1);
    expect(result.certificates.map((c) => c.caSources)).toEqual([[CA]]);
  });

  it('System CAs trust the copy of the system bundle the renderer service writes', () => {
    const system: UpstreamTlsIR = {
      ...TLS,
      trustedCertificates: [],
      wellKnownCACertificates: 'System',
    };
    const result = renderNginx([gateway(system, system)], settings);
    const file = result.files.find((f) => f.path === 'http/default_gw.conf')?.contents ?? '';
    expect(file).toMatch(/proxy_ssl_trusted_certificate "certs\/ca_system.pem";/);
    expect(file).toMatch(/proxy_ssl_verify on;/);
    expect(result.certificates).toEqual([
      expect.objectContaining({
        certificatePath: 'certs/ca_system.pem',
        keyPath: '',
        caSources: [{ kind: 'System' }],
      }),
    ]);
  });
});
