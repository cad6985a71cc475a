/**
 * Invariant 7: every string that reaches nginx.conf goes through this file. User values are
 * checked against what NGINX can represent, then written as double-quoted string literals.
 *
 * NGINX's config lexer (ngx_conf_read_token) ends a bare word at whitespace, `;`, `{`, `}` and
 * starts a comment at `#`; inside double quotes those are literal and only `\"` and `\\` need
 * escaping. What quotes cannot make safe is refused with a RenderError:
 * - control characters (a newline would still be literal inside quotes, but it breaks
 *   comments, logs and the line-based reading of the files by people);
 * - ill-formed UTF-16 (lone surrogates would be written as U+FFFD, not what was asked);
 * - `$` where NGINX expands variables: the config language has no escape for it.
 */
import { RenderError } from './errors.ts';

/** How NGINX reads the argument: literally, or with `$name` variables expanded. */
export type QuoteContext = 'literal' | 'variables';

/** Returns a reason if `value` cannot be written safely in `context`, else undefined. */
export function unsafeReason(value: string, context: QuoteContext): string | undefined {
  if (value.length === 0) return 'empty value';
  if (!value.isWellFormed()) return 'ill-formed UTF-16 (lone surrogate)';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0)) {
      return `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    }
  }
  if (context === 'variables' && value.includes('$')) {
    return '`$` cannot be escaped where NGINX expands variables';
  }
  return undefined;
}

/**
 * The NGINX string literal for `value`: double quotes, with `\` and `"` escaped. Throws a
 * RenderError naming `field` when the value cannot be represented safely.
 */
export function quote(value: string, field: string, context: QuoteContext = 'literal'): string {
  const reason = unsafeReason(value, context);
  if (reason !== undefined) throw new RenderError(field, reason);
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** Text for a `# comment` line: printable, single-line; anything else is refused. */
export function commentText(value: string, field: string): string {
  const reason = value.length === 0 ? undefined : unsafeReason(value, 'literal');
  if (reason !== undefined) throw new RenderError(field, reason);
  return value;
}
