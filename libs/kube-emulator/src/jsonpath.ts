/**
 * The subset of Kubernetes JSONPath that printer columns use: `.a.b`, `['a.b']`, `[n]`, `[*]`,
 * and filters `[?(@.type=="Ready")]` (with `==` or `!=`). Pure.
 */
import { isObject } from './util.ts';

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'all' }
  | { kind: 'filter'; path: string[]; op: '==' | '!='; value: string };

function parseBracket(inner: string, expr: string): Step {
  if (inner === '*') return { kind: 'all' };
  if (/^-?\d+$/.test(inner)) return { kind: 'index', index: Number(inner) };
  const quoted = /^'(.*)'$|^"(.*)"$/.exec(inner);
  if (quoted) return { kind: 'field', name: quoted[1] ?? quoted[2] ?? '' };
  const filter = /^\?\(@((?:\.[^.=!\s]+)+)\s*(==|!=)\s*(?:"([^"]*)"|'([^']*)'|(\S+))\)$/.exec(
    inner,
  );
  if (filter) {
    const [, path = '', op, d, s, bare] = filter;
    return {
      kind: 'filter',
      path: path.slice(1).split('.'),
      op: op === '!=' ? '!=' : '==',
      value: d ?? s ?? bare ?? '',
    };
  }
  throw new Error(`unsupported JSONPath ${expr}`);
}

/** Parses a JSONPath expression into steps; throws on syntax it does not support. */
export function parseJsonPath(expr: string): Step[] {
  let text = expr.trim();
  if (text.startsWith('{') && text.endsWith('}')) text = text.slice(1, -1);
  if (text.startsWith('$')) text = text.slice(1);
  const steps: Step[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '.') {
      const m = /^[^.[\]]+/.exec(text.slice(i + 1));
      if (!m) throw new Error(`unsupported JSONPath ${expr}`);
      steps.push({ kind: 'field', name: m[0] });
      i += 1 + m[0].length;
    } else if (text[i] === '[') {
      const end = findClose(text, i);
      steps.push(parseBracket(text.slice(i + 1, end), expr));
      i = end + 1;
    } else throw new Error(`unsupported JSONPath ${expr}`);
  }
  return steps;
}

function findClose(text: string, open: number): number {
  let quote = '';
  for (let j = open + 1; j < text.length; j++) {
    const ch = text[j];
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === ']') return j;
  }
  throw new Error(`unterminated [ in JSONPath ${text}`);
}

function valueAt(value: unknown, path: readonly string[]): unknown {
  let cur = value;
  for (const p of path) cur = isObject(cur) ? cur[p] : undefined;
  return cur;
}

function applyStep(values: unknown[], step: Step): unknown[] {
  const out: unknown[] = [];
  for (const v of values) {
    if (step.kind === 'field') {
      if (isObject(v) && v[step.name] !== undefined) out.push(v[step.name]);
    } else if (!Array.isArray(v)) {
      continue;
    } else if (step.kind === 'index') {
      const item = v[step.index < 0 ? v.length + step.index : step.index];
      if (item !== undefined) out.push(item);
    } else if (step.kind === 'all') {
      out.push(...v);
    } else {
      for (const item of v) {
        const actual = valueAt(item, step.path);
        const text = actual === undefined ? undefined : String(actual);
        if ((text === step.value) === (step.op === '==')) out.push(item);
      }
    }
  }
  return out;
}

/** All values the expression selects in `root`, in document order. */
export function evaluateJsonPath(expr: string, root: unknown): unknown[] {
  return parseJsonPath(expr).reduce<unknown[]>(applyStep, [root]);
}
