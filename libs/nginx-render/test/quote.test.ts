import { describe, expect, it } from 'vitest';
import { quote, RenderError, unsafeReason } from '@portico/nginx-render';

describe('quote', () => {
  it.each([
    ['a plain word', 'example.com', '"example.com"'],
    ['an injected directive', '"; include /etc/passwd; "', '"\\"; include /etc/passwd; \\""'],
    ['a variable (literal context)', '$host', '"$host"'],
    ['braces', '{ return 200; }', '"{ return 200; }"'],
    ['a comment sign', 'a # b', '"a # b"'],
    ['backslashes', 'a\\b\\', '"a\\\\b\\\\"'],
    ['a backslash before a quote', '\\"', '"\\\\\\""'],
    ['single quotes', "it's", '"it\'s"'],
    ['UTF-8 text', 'grüße', '"grüße"'],
  ])('writes %s as a double-quoted literal', (_title, value, expected) => {
    expect(quote(value, 'field')).toBe(expected);
  });

  it.each([
    ['a newline', 'a\nb', /U\+000A/],
    ['a carriage return', 'a\rb', /U\+000D/],
    ['a NUL', 'a\u0000b', /U\+0000/],
    ['a tab', 'a\tb', /U\+0009/],
    ['DEL', 'a\u007fb', /U\+007F/],
    ['a C1 control', 'a\u0085b', /U\+0085/],
    ['a lone surrogate', 'a\ud800b', /surrogate/],
    ['the empty string', '', /empty/],
  ])('refuses %s', (_title, value, reason) => {
    expect(() => quote(value, 'spec.hostname')).toThrow(RenderError);
    expect(unsafeReason(value, 'literal')).toMatch(reason);
  });

  it.each([
    ['$host', true],
    ['price: 5$', true],
    ['no dollar', false],
  ])('in a variables context, %s is refused: %s', (value, refused) => {
    const write = (): string => quote(value, 'field', 'variables');
    if (refused) expect(write).toThrow(/cannot be escaped/);
    else expect(write()).toBe(`"${value}"`);
  });

  it('names the field in the error', () => {
    const error = captureError(() => quote('x\ny', 'rules[3].path'));
    expect(error).toBeInstanceOf(RenderError);
    expect(error).toMatchObject({ field: 'rules[3].path', reason: 'control character U+000A' });
  });
});

function captureError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
