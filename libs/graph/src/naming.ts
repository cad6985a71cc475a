/**
 * Names that reach nginx.conf as identifiers: `[a-z0-9_]+`, unique, deterministic.
 */
import { contentHash } from '@portico/ir';

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/**
 * `<ns>__<name>__<port>` with `-` as `_` (e.g. `default__httpbin__80`): readable in the
 * rendered config. Kubernetes names cannot hold `_`, so this is unique unless a name holds
 * `--` (which would look like a separator) or is not a DNS label: then a hash of the real
 * identity is appended, which no plain name can end with.
 */
export function upstreamName(namespace: string, name: string, port: number): string {
  const plain = `${namespace}__${name}__${port}`.replaceAll('-', '_');
  const safe = [namespace, name].every((s) => DNS_LABEL.test(s) && !s.includes('--'));
  if (safe) return plain;
  const readable = plain.replace(/[^a-z0-9_]/g, '_');
  return `${readable}_h${contentHash([namespace, name, port]).slice(0, 8)}`;
}

/** Rule ids already computed, by their parts: a reconcile asks again for every rule it serves. */
const ruleIds = new Map<string, string>();
/** Past this many entries the memo starts over (ids are cheap to compute again, not to keep). */
const RULE_ID_MEMO_LIMIT = 100_000;

/**
 * A rule id stable across unrelated changes (it hashes where the rule is served and where it
 * came from), so adding a route does not rename every other rule's variables. Remembered by
 * its parts: hashing 1,000 rules' parts was a tenth of building a Gateway's IR.
 */
export function ruleId(parts: {
  port: number;
  hostname: string;
  namespace: string;
  name: string;
  ruleIndex: number;
  matchIndex: number;
}): string {
  const { port, hostname, namespace, name, ruleIndex, matchIndex } = parts;
  const key = JSON.stringify([port, hostname, namespace, name, ruleIndex, matchIndex]);
  const known = ruleIds.get(key);
  if (known !== undefined) return known;
  if (ruleIds.size >= RULE_ID_MEMO_LIMIT) ruleIds.clear();
  const id = `r${contentHash({ port, hostname, namespace, name, ruleIndex, matchIndex }).slice(0, 12)}`;
  ruleIds.set(key, id);
  return id;
}
