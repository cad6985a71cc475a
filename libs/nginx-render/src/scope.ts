/**
 * Where rendered pieces go besides the location that needs them. `HttpScope` collects the
 * http-level blocks of one Gateway file (maps, split_clients), each defined once and named by
 * a hash of what it computes, so equal conditions or splits are shared by every rule and
 * virtual host. `ServerScope` collects the internal locations of one `server` block (dispatch
 * targets, mirrors, per-backend locations), each created once.
 */
import { createHash } from 'node:crypto';
import { block, directive, word, type ConfNode, type Token } from './syntax.ts';

/** Prefix of internal location URIs. `//` cannot reach them from outside: NGINX merges slashes
 * of client URIs, and the graph refuses route paths with `//` (the renderer too). */
export const INTERNAL_PREFIX = '//portico/';

export class HttpScope {
  readonly nodes: ConfNode[] = [];
  readonly variables: string[] = [];
  private readonly defined = new Map<string, string>();
  private readonly tag: string;

  constructor(tag: string) {
    this.tag = tag;
  }

  /**
   * The variable (`$portico_<kind>_<tag>_<hash>`) that `build` defines, building it only the
   * first time `key` is asked for. `key` must describe everything the block computes.
   */
  define(kind: string, key: string, build: (variable: string) => ConfNode): Token {
    const known = this.defined.get(`${kind}\0${key}`);
    if (known !== undefined) return word(`$${known}`);
    const hash = createHash('sha256').update(key).digest('hex').slice(0, 12);
    const name = `portico_${kind}_${this.tag}_${hash}`;
    this.defined.set(`${kind}\0${key}`, name);
    this.nodes.push(build(`$${name}`));
    this.variables.push(name);
    return word(`$${name}`);
  }

  /** `map <source> $var { entries }`, shared by equal (source, entries). */
  map(kind: string, source: Token, entries: ConfNode[]): Token {
    const key = JSON.stringify([source, entries]);
    return this.define(kind, key, (variable) => block('map', [source, word(variable)], entries));
  }
}

export class ServerScope {
  readonly internals: ConfNode[] = [];
  private readonly created = new Set<string>();

  /** `location = <uri> { internal; body }`, created once per server; returns the URI. */
  internal(uri: string, body: () => ConfNode[]): string {
    if (!this.created.has(uri)) {
      this.created.add(uri);
      const children = [directive('internal'), ...body()];
      this.internals.push(block('location', [word('='), word(uri)], children));
    }
    return uri;
  }
}
