/**
 * ReferenceGrant checks. A grant lives in the target's namespace; its `from` entries and its
 * `to` entries are each ORed; a `to` without a name covers every object of that kind there.
 */
import type { ReferenceGrant } from './resources.ts';

export interface ReferenceFrom {
  group: string;
  kind: string;
  namespace: string;
}

export interface ReferenceTo {
  group: string;
  kind: string;
  name: string;
}

/** The core group is spelled "" in grants; accept "core" too, as the API does elsewhere. */
function sameGroup(a: string, b: string): boolean {
  const norm = (g: string): string => (g === 'core' ? '' : g);
  return norm(a) === norm(b);
}

/** Whether a grant among `grants` (those of the target's namespace) allows the reference. */
export function referenceAllowed(
  grants: readonly ReferenceGrant[] | undefined,
  from: ReferenceFrom,
  to: ReferenceTo,
): boolean {
  return (grants ?? []).some(
    (grant) =>
      grant.spec.from.some(
        (f) =>
          sameGroup(f.group, from.group) && f.kind === from.kind && f.namespace === from.namespace,
      ) &&
      grant.spec.to.some(
        (t) =>
          sameGroup(t.group, to.group) &&
          t.kind === to.kind &&
          (t.name === undefined || t.name === '' || t.name === to.name),
      ),
  );
}
