/**
 * List with selectors and pagination. `continue` tokens carry the list's resourceVersion and
 * the last key; a later page reads the current state after that key (kube-apiserver reads a
 * consistent snapshot; the emulator does not keep one) and answers `410` once the token's
 * resourceVersion has been compacted.
 */
import type { KindInfo } from './kinds.ts';
import { matchesFields, matchesLabels, type Requirement } from './selectors.ts';
import { badRequest, gone } from './status.ts';
import type { ObjectStore } from './store.ts';
import { metaString, type JsonObject } from './util.ts';

export interface ListQuery {
  namespace?: string;
  labels: readonly Requirement[];
  fields: readonly Requirement[];
  limit?: number;
  continueToken?: string;
}

export interface ListPage {
  items: JsonObject[];
  resourceVersion: string;
  continueToken?: string;
  remainingItemCount?: number;
}

interface Token {
  rv: number;
  key: string;
}

const keyOf = (o: JsonObject): string => `${metaString(o, 'namespace')}/${metaString(o, 'name')}`;

/** Encodes a continue token (opaque to clients). */
export function encodeContinue(token: Token): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

/** Decodes a continue token; throws `400` when it is not one of ours. */
export function decodeContinue(text: string): Token {
  try {
    const t = JSON.parse(Buffer.from(text, 'base64url').toString()) as Partial<Token>;
    if (typeof t.rv === 'number' && typeof t.key === 'string') return { rv: t.rv, key: t.key };
  } catch {
    // fall through
  }
  throw badRequest('continue key is not valid');
}

/** One page of a list. */
export function listPage(store: ObjectStore, info: KindInfo, query: ListQuery): ListPage {
  let rv = store.resourceVersion;
  let after = '';
  if (query.continueToken) {
    const token = decodeContinue(query.continueToken);
    if (token.rv < store.compactedRevision) {
      throw gone(
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
      );
    }
    rv = token.rv;
    after = token.key;
  }
  const all = store
    .list(info, query.namespace)
    .filter(
      (o) => keyOf(o) > after && matchesLabels(query.labels, o) && matchesFields(query.fields, o),
    );
  const limit = query.limit && query.limit > 0 ? query.limit : all.length;
  const items = all.slice(0, limit);
  const last = items[items.length - 1];
  if (all.length <= limit || !last) return { items, resourceVersion: String(rv) };
  return {
    items,
    resourceVersion: String(rv),
    continueToken: encodeContinue({ rv, key: keyOf(last) }),
    remainingItemCount: all.length - limit,
  };
}
