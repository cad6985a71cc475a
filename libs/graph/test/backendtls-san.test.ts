import { describe, expect, it } from 'vitest';
import { defaultValidators } from '../src/index.ts';
import { subjectAltNamesIR, subjectAltNamesProblem, uriProblem } from '../src/backendtls-san.ts';

describe('BackendTLSPolicy subjectAltNames', () => {
  it.each([
    ['a SPIFFE ID', 'spiffe://abc.example.com/test-identity', undefined],
    ['an https URL with query and fragment', 'https://abc.example.com/a?b=c#d', undefined],
    ['no authority', 'urn:example:abc', 'absolute URI'],
    ['no scheme', 'abc.example.com/test-identity', 'absolute URI'],
    ['a space', 'spiffe://abc.example.com/a b', 'whitespace'],
    ['a newline', 'spiffe://abc.example.com/a\nb', 'whitespace'],
    ['empty', '', '1 to 253'],
    ['too long', `spiffe://a/${'x'.repeat(250)}`, '1 to 253'],
  ])('uri: %s', (_name, uri, problem) => {
    const found = uriProblem(uri);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });

  it.each([
    ['one Hostname', [{ type: 'Hostname', hostname: 'abc.example.com' }], undefined],
    ['one URI', [{ type: 'URI', uri: 'spiffe://abc.example.com/id' }], undefined],
    [
      'the second entry names the index',
      [
        { type: 'URI', uri: 'spiffe://abc.example.com/id' },
        { type: 'Hostname', hostname: '*.example.com' },
      ],
      'validation.subjectAltNames[1]: hostname: must be a precise hostname',
    ],
    ['an IP address', [{ type: 'Hostname', hostname: '10.0.0.1' }], 'IP address'],
    ['an unknown type', [{ type: 'IPAddress', hostname: '' }], 'is not Hostname or URI'],
    [
      'Hostname with uri too',
      [{ type: 'Hostname', hostname: 'a.example.com', uri: 'spiffe://a/b' }],
      'must not set uri',
    ],
  ])('list: %s', (_name, sans, problem) => {
    const found = subjectAltNamesProblem(sans, defaultValidators);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });

  it('keeps the order and drops the unused field in the IR', () => {
    expect(
      subjectAltNamesIR([
        { type: 'URI', uri: 'spiffe://a/b' },
        { type: 'Hostname', hostname: 'a.example.com' },
      ]),
    ).toEqual([
      { type: 'URI', uri: 'spiffe://a/b' },
      { type: 'Hostname', hostname: 'a.example.com' },
    ]);
    expect(subjectAltNamesIR([])).toBeUndefined();
    expect(subjectAltNamesIR(undefined)).toBeUndefined();
  });
});
