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

/**
 * A rule id stable across unrelated changes (it hashes where the rule is served and where it
 * came from), so adding a route does not rename every other rule's variables.
 */
export function ruleId(parts: {
  port: number;
  hostname: string;
  namespace: string;
  name: string;
  ruleIndex: number;
  matchIndex: number;
}): string {
  return `r${contentHash(parts).slice(0, 12)}`;
}
