/**
 * Regexes from routes (path, header and query `RegularExpression` matches) run in NGINX's
 * PCRE, while the Gateway API points users at RE2 syntax. This checker accepts only the part
 * of the syntax where the two agree, and refuses what could hurt NGINX:
 *
 * - literals (printable ASCII), `.`, `^`, `$`, `|`, groups `( )` and `(?: )`;
 * - classes `[...]` with ranges and escapes, negated with `^`;
 * - quantifiers `* + ?`, `{n}`, `{n,}`, `{n,m}` (n, m <= 1000), lazy with a trailing `?`;
 * - escapes of metacharacters, `\d \D \w \W \s \S \b \B \t \n \r \f` and `\xHH`.
 *
 * Refused: back-references, lookaround, named groups (NGINX would turn a named capture into a
 * variable), inline flags, possessive and atomic forms, `\p{..}`, `\Q..\E`, `\v` (a class in
 * PCRE, a character in RE2), a bare `{` or `}`, non-ASCII (PCRE here works on bytes, RE2 on
 * UTF-8), and a repeated group that itself repeats (`(a+)+`): PCRE backtracks exponentially
 * on those, RE2 does not, and the input is a hostile header value.
 */

const MAX_LENGTH = 1024;
const MAX_REPEAT = 1000;
const SIMPLE_ESCAPES = new Set([...'dDwWsSbBtnrf']);
const CLASS_ESCAPES = new Set([...'dDwWsStnrf']);
const META = new Set([...'\\.+*?()|[]{}^$/-']);

/** Undefined when `pattern` is in the accepted subset, else why not. */
export function regexProblem(pattern: string): string | undefined {
  if (pattern.length === 0) return 'empty regular expression';
  if (pattern.length > MAX_LENGTH) return `regular expression longer than ${MAX_LENGTH}`;
  if (!/^[\x20-\x7e]*$/.test(pattern)) {
    return 'regular expression must be printable ASCII';
  }
  try {
    new Parser(pattern).parse();
    return undefined;
  } catch (error) {
    if (error instanceof RegexSyntaxError)
      return `regular expression "${pattern}": ${error.message}`;
    throw error;
  }
}

class RegexSyntaxError extends Error {}

/** One group level: whether anything in it repeats, and whether its last item can repeat. */
interface Frame {
  repeats: boolean;
  /** What a quantifier would apply to: nothing, an atom, a group (and if it repeats inside). */
  last: 'none' | 'atom' | 'quantified' | { groupRepeats: boolean };
}

class Parser {
  private readonly src: string;
  private pos = 0;
  private readonly stack: Frame[] = [{ repeats: false, last: 'none' }];

  constructor(src: string) {
    this.src = src;
  }

  parse(): void {
    while (this.pos < this.src.length) this.step();
    if (this.stack.length !== 1) throw new RegexSyntaxError('missing )');
  }

  private get frame(): Frame {
    return this.stack[this.stack.length - 1] as Frame;
  }

  private step(): void {
    const c = this.src[this.pos++] as string;
    switch (c) {
      case '\\':
        this.escape(SIMPLE_ESCAPES);
        this.frame.last = 'atom';
        return;
      case '(':
        this.openGroup();
        return;
      case ')':
        this.closeGroup();
        return;
      case '[':
        this.charClass();
        this.frame.last = 'atom';
        return;
      case '*':
      case '+':
      case '?':
        this.quantifier();
        return;
      case '{':
        this.counted();
        return;
      case '}':
        throw new RegexSyntaxError('a literal "}" must be escaped');
      case '|':
      case '^':
      case '$':
        this.frame.last = 'none';
        return;
      default:
        this.frame.last = 'atom';
    }
  }

  private escape(allowed: ReadonlySet<string>): void {
    const next = this.src[this.pos++];
    if (next === undefined) throw new RegexSyntaxError('trailing backslash');
    if (META.has(next) || allowed.has(next)) return;
    if (next === 'x' && /^[0-9A-Fa-f]{2}$/.test(this.src.slice(this.pos, this.pos + 2))) {
      this.pos += 2;
      return;
    }
    throw new RegexSyntaxError(`escape \\${next} is not supported`);
  }

  private openGroup(): void {
    if (this.src[this.pos] === '?') {
      if (this.src[this.pos + 1] !== ':') {
        throw new RegexSyntaxError('only (?: ) groups are supported, no lookaround or names');
      }
      this.pos += 2;
    }
    this.stack.push({ repeats: false, last: 'none' });
  }

  private closeGroup(): void {
    if (this.stack.length === 1) throw new RegexSyntaxError('unbalanced )');
    const inner = this.stack.pop() as Frame;
    if (inner.repeats) this.frame.repeats = true;
    this.frame.last = { groupRepeats: inner.repeats };
  }

  private charClass(): void {
    if (this.src[this.pos] === '^') this.pos++;
    if (this.src[this.pos] === ']') this.pos++;
    for (;;) {
      const c = this.src[this.pos++];
      if (c === undefined) throw new RegexSyntaxError('missing ]');
      if (c === ']') return;
      if (c === '[') throw new RegexSyntaxError('a literal "[" in a class must be escaped');
      if (c === '\\') this.escape(CLASS_ESCAPES);
    }
  }

  private quantifier(): void {
    this.applyRepeat();
    const next = this.src[this.pos];
    if (next === '?') this.pos++;
    else if (next === '+') throw new RegexSyntaxError('possessive quantifiers are not supported');
  }

  private counted(): void {
    const match = /^(\d{1,4})(,(\d{0,4}))?\}/.exec(this.src.slice(this.pos));
    if (match === null) throw new RegexSyntaxError('a literal "{" must be escaped');
    const min = Number(match[1]);
    const max = match[3] === undefined || match[3] === '' ? min : Number(match[3]);
    if (min > MAX_REPEAT || max > MAX_REPEAT || max < min) {
      throw new RegexSyntaxError(`repeat counts must be ordered and at most ${MAX_REPEAT}`);
    }
    this.pos += match[0].length;
    this.applyRepeat();
    if (this.src[this.pos] === '?') this.pos++;
  }

  private applyRepeat(): void {
    const frame = this.frame;
    const last = frame.last;
    if (last === 'none') throw new RegexSyntaxError('nothing to repeat');
    if (last === 'quantified') throw new RegexSyntaxError('a quantifier cannot follow another');
    if (typeof last === 'object' && last.groupRepeats) {
      throw new RegexSyntaxError('a repeated group must not repeat inside (nested repetition)');
    }
    frame.repeats = true;
    frame.last = 'quantified';
  }
}
