import { describe, expect, it } from 'vitest';
import type { SubjectAltNameIR } from '@portico/ir';
import { matchSubjectAltNames, parseSubjectAltNames } from '../src/san-match.ts';

const URI = (uri: string): SubjectAltNameIR => ({ type: 'URI', uri });
const DNS = (hostname: string): SubjectAltNameIR => ({ type: 'Hostname', hostname });
const CERT = 'DNS:abc.example.com, URI:spiffe://abc.example.com/test-identity';

describe('subject alternative names of a backend certificate', () => {
  it.each<[string, string, { type: string; value: string }[]]>([
    ['empty', '', []],
    [
      'DNS and URI',
      CERT,
      [
        { type: 'DNS', value: 'abc.example.com' },
        { type: 'URI', value: 'spiffe://abc.example.com/test-identity' },
      ],
    ],
    [
      'a quoted value with a comma stays one entry',
      'URI:"spiffe://a.example.com/x, URI:spiffe://evil", DNS:b.example.com',
      [
        { type: 'URI', value: 'spiffe://a.example.com/x, URI:spiffe://evil' },
        { type: 'DNS', value: 'b.example.com' },
      ],
    ],
    ['an IP address', 'IP Address:10.0.0.1', [{ type: 'IP Address', value: '10.0.0.1' }]],
  ])('parses %s', (_name, text, entries) => {
    expect(parseSubjectAltNames(text)).toEqual(entries);
  });

  it.each<[string, SubjectAltNameIR[], string, string | undefined]>([
    ['the DNS name', [DNS('abc.example.com')], CERT, 'DNS:abc.example.com'],
    [
      'the URI',
      [URI('spiffe://abc.example.com/test-identity')],
      CERT,
      'URI:spiffe://abc.example.com/test-identity',
    ],
    ['another DNS name', [DNS('dce.example.com')], CERT, undefined],
    ['another URI', [URI('spiffe://def.example.com/test-identity')], CERT, undefined],
    ['a URI prefix only', [URI('spiffe://abc.example.com/test')], CERT, undefined],
    [
      'a URI given as a hostname',
      [DNS('abc.example.com')],
      'URI:spiffe://abc.example.com/x',
      undefined,
    ],
    [
      'a list where the second entry matches',
      [URI('spiffe://def.example.com/test-identity'), DNS('abc.example.com')],
      CERT,
      'DNS:abc.example.com',
    ],
    [
      'a list where nothing matches',
      [URI('spiffe://def.example.com/test-identity'), DNS('def.example.com')],
      CERT,
      undefined,
    ],
    [
      'a certificate wildcard one level down',
      [DNS('abc.example.com')],
      'DNS:*.example.com',
      'DNS:abc.example.com',
    ],
    [
      'a certificate wildcard two levels down',
      [DNS('a.b.example.com')],
      'DNS:*.example.com',
      undefined,
    ],
    ['another case', [DNS('ABC.example.com')], CERT, 'DNS:ABC.example.com'],
    ['a certificate without SANs', [DNS('abc.example.com')], '', undefined],
    [
      'a quoted URI that hides another',
      [URI('spiffe://evil')],
      'URI:"spiffe://a.example.com/x, URI:spiffe://evil"',
      undefined,
    ],
  ])('%s', (_name, wanted, certificate, matched) => {
    const result = matchSubjectAltNames(wanted, certificate);
    if (matched === undefined) {
      expect(result).toEqual({
        ok: false,
        found: parseSubjectAltNames(certificate).map((s) => `${s.type}:${s.value}`),
      });
    } else {
      expect(result).toEqual({ ok: true, matched });
    }
  });
});
