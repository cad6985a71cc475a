/**
 * Client certificate validation from the IR: the directives per mode, one CA bundle file per
 * set of references (listed for the renderer to write), and IR values that cannot be rendered
 * refused with the field named.
 */
import { describe, expect, it } from 'vitest';
import type { ClientValidationIR, GatewayIR } from '@portico/ir';
import { RenderError, renderNginx } from '@portico/nginx-render';
import { settingsUnder } from './support/nginx.ts';

const settings = settingsUnder('/srv/portico');
const CA = { kind: 'ConfigMap' as const, namespace: 'infra', name: 'ca', contentHash: 'ab12' };

function gateway(validation: unknown): GatewayIR {
  return {
    schemaVersion: 2,
    gateway: { namespace: 'infra', name: 'gw' },
    httpServers: [
      {
        port: 443,
        protocol: 'HTTPS',
        virtualHosts: [{ hostname: '*', listener: 'https', rules: [] }],
        listeners: [
          {
            name: 'https',
            hostname: '*',
            certificates: [{ namespace: 'infra', name: 'cert', contentHash: 'cd34' }],
            clientValidation: validation as ClientValidationIR,
          },
        ],
      },
    ],
    upstreams: [],
  };
}

function serverFile(validation: ClientValidationIR): string {
  const result = renderNginx([gateway(validation)], settings);
  return result.files.find((f) => f.path === 'http/infra_gw.conf')?.contents ?? '';
}

describe('client certificate validation', () => {
  it.each([
    ['AllowValidOnly', 'ssl_verify_client on;'],
    ['AllowInsecureFallback', 'ssl_verify_client optional_no_ca;'],
  ] as const)('%s renders %s', (mode, directive) => {
    const conf = serverFile({ mode, trustedCertificates: [CA] });
    expect(conf).toContain(directive);
    expect(conf).toMatch(/ssl_client_certificate "certs\/ca_[0-9a-f]{16}\.pem";/);
  });

  it('lists the CA bundle with its sources for the renderer to write', () => {
    const result = renderNginx(
      [gateway({ mode: 'AllowValidOnly', trustedCertificates: [CA] })],
      settings,
    );
    const bundles = result.certificates.filter((c) => c.caSources !== undefined);
    expect(bundles.map((b) => b.caSources)).toEqual([[CA]]);
  });

  it.each([
    ['an unknown mode', { mode: 'Sometimes', trustedCertificates: [CA] }, 'clientValidation.mode'],
    [
      'no CA',
      { mode: 'AllowValidOnly', trustedCertificates: [] },
      'clientValidation.trustedCertificates',
    ],
    [
      'a CA of another kind',
      { mode: 'AllowValidOnly', trustedCertificates: [{ ...CA, kind: 'Service' }] },
      'clientValidation.trustedCertificates[0].kind',
    ],
    [
      'a hostile CA name',
      { mode: 'AllowValidOnly', trustedCertificates: [{ ...CA, name: 'x";\nevil' }] },
      'clientValidation.trustedCertificates[0].name',
    ],
  ])('refuses %s', (_title, validation, field) => {
    expect(() => renderNginx([gateway(validation)], settings)).toThrow(RenderError);
    expect(() => renderNginx([gateway(validation)], settings)).toThrow(field);
  });
});
