/**
 * Label and field selectors, parsed once and matched against objects. Pure: the grammar is
 * kube-apiserver's (`a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`; fields only
 * `=`, `==`, `!=`).
 */
import { isObject, labelsOf, type JsonObject } from './util.ts';

export type Requirement =
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists' };

export class SelectorError extends Error {}

/** Splits on commas that are not inside parentheses. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += ch;
  }
  terms.push(current);
  return terms.map((t) => t.trim()).filter((t) => t !== '');
}

const KEY = /^[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

function checkKey(key: string, term: string): string {
  if (!KEY.test(key))
    throw new SelectorError(`unable to parse requirement: invalid key "${key}" in "${term}"`);
  return key;
}

function checkValue(value: string, term: string): string {
  if (!VALUE.test(value))
    throw new SelectorError(`unable to parse requirement: invalid value "${value}" in "${term}"`);
  return value;
}

function parseTerm(term: string): Requirement {
  const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(term);
  if (set) {
    const [, key = '', op = 'in', list = ''] = set;
    const values = list.split(',').map((v) => checkValue(v.trim(), term));
    return { key: checkKey(key, term), op: op === 'in' ? 'in' : 'notin', values };
  }
  const cmp = /^([^!=\s]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
  if (cmp) {
    const [, key = '', op, value = ''] = cmp;
    return {
      key: checkKey(key, term),
      op: op === '!=' ? 'neq' : 'eq',
      value: checkValue(value.trim(), term),
    };
  }
  if (term.startsWith('!')) return { key: checkKey(term.slice(1).trim(), term), op: 'notexists' };
  return { key: checkKey(term, term), op: 'exists' };
}

/** Parses a label selector; throws `SelectorError` on bad syntax. Empty text selects everything. */
export function parseLabelSelector(text: string): Requirement[] {
  return splitTerms(text).map(parseTerm);
}

/** Parses a field selector (`=`, `==`, `!=` only, like kube-apiserver). */
export function parseFieldSelector(text: string): Requirement[] {
  return splitTerms(text).map((term) => {
    const m = /^([^!=\s]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw new SelectorError(`invalid selector: '${text}'; can't understand '${term}'`);
    const [, key = '', op, value = ''] = m;
    return { key, op: op === '!=' ? 'neq' : 'eq', value: value.trim() };
  });
}

/** Whether one requirement holds for a lookup function (`undefined` means the key is absent). */
function holds(req: Requirement, lookup: (key: string) => string | undefined): boolean {
  const v = lookup(req.key);
  switch (req.op) {
    case 'eq':
      return v === req.value;
    case 'neq':
      return v !== req.value;
    case 'in':
      return v !== undefined && req.values.includes(v);
    case 'notin':
      return v === undefined || !req.values.includes(v);
    case 'exists':
      return v !== undefined;
    case 'notexists':
      return v === undefined;
  }
}

/** Whether an object's labels satisfy every requirement. */
export function matchesLabels(reqs: readonly Requirement[], obj: JsonObject): boolean {
  const labels = labelsOf(obj);
  return reqs.every((r) => holds(r, (k) => labels[k]));
}

/** The value of a dotted field path, as a string, for field selectors. */
function fieldValue(obj: JsonObject, path: string): string | undefined {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (!isObject(cur)) return undefined;
    cur = cur[part];
  }
  if (cur === undefined || cur === null) return '';
  return typeof cur === 'object' ? JSON.stringify(cur) : String(cur);
}

/** Whether an object's fields satisfy every requirement (any dotted path is accepted). */
export function matchesFields(reqs: readonly Requirement[], obj: JsonObject): boolean {
  return reqs.every((r) => holds(r, (k) => fieldValue(obj, k)));
}
