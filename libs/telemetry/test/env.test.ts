import { describe, expect, it } from 'vitest';
import { envInteger } from '../src/env.ts';

describe('envInteger', () => {
  it.each([
    ['unset', undefined, 7],
    ['empty', '', 7],
    ['zero', '0', 0],
    ['a count', '42', 42],
    ['the maximum', '65535', 65_535],
  ])('reads %s', (_title, raw, expected) => {
    expect(envInteger({ N: raw }, 'N', 7, 65_535)).toBe(expected);
  });

  it.each([
    ['negative', '-1', 'N must be an integer from 0 to 65535, got "-1"'],
    ['fractional', '1.5', 'N must be an integer from 0 to 65535, got "1.5"'],
    ['text', 'ten', 'N must be an integer from 0 to 65535, got "ten"'],
    ['above the maximum', '65536', 'N must be an integer from 0 to 65535, got "65536"'],
  ])('refuses %s', (_title, raw, message) => {
    expect(() => envInteger({ N: raw }, 'N', 7, 65_535)).toThrow(message);
  });

  it('has no maximum unless given one', () => {
    expect(envInteger({ N: '100000' }, 'N', 0)).toBe(100_000);
    expect(() => envInteger({ N: 'x' }, 'N', 0)).toThrow(
      'N must be a non-negative integer, got "x"',
    );
  });
});
