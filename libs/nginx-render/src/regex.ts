/**
 * Regexes in generated config. Literal values (header values, query names, path prefixes)
 * are escaped so PCRE reads them literally; user regexes (checked by the graph against an
 * RE2-compatible subset) are checked again here for what could change NGINX's behaviour
 * rather than the match: a named capture would define an NGINX variable, and a regex that
 * does not compile would fail `nginx -t` for every Gateway.
 */
import { RenderError } from './errors.ts';

/** `value` as a PCRE pattern matching exactly that text. */
export function escapeRegex(value: string): string {
  return value.replace(/[\\.+*?()|[\]{}^$/-]/g, (c) => `\\${c}`);
}

/** A user regex, wrapped for a full match: `^(?:re)$`. */
export function fullMatch(pattern: string, field: string): string {
  if (pattern.length === 0 || pattern.length > 1024 || !/^[\x20-\x7e]+$/.test(pattern)) {
    throw new RenderError(field, 'regular expression must be 1-1024 printable ASCII characters');
  }
  const problem = specialGroup(pattern);
  if (problem !== undefined) throw new RenderError(field, problem);
  try {
    new RegExp(pattern);
  } catch {
    throw new RenderError(field, 'regular expression does not compile');
  }
  return `^(?:${pattern})$`;
}

/** Finds `(?` other than `(?:` and escapes that refer to groups, outside classes and escapes. */
function specialGroup(pattern: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      if (/[1-9kgQEpP]/.test(pattern[i + 1] ?? ''))
        return 'back-references and \\Q, \\p are refused';
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
      if (pattern[i + 1] === '^') i++;
      if (pattern[i + 1] === ']') i++;
    } else if (c === '(' && pattern[i + 1] === '?' && pattern[i + 2] !== ':') {
      return 'only (?: ) groups: no named groups, lookaround or flags';
    }
  }
  return undefined;
}
