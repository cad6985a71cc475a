/**
 * The content hash of each Gateway's IR, remembered per worker. Most reconciles build an IR
 * equal to the last one (the renderer's ack, a status echo, a replayed job); with 1,000 routes
 * hashing it (canonical JSON, then SHA-256) cost about as much as building it. Comparing it
 * with the last IR of the key stops at the first difference and, when there is none, costs a
 * fraction of that. Equal canonical JSON means an equal hash, so the answer is the same as
 * `contentHash(ir)` would give: a cache at the edge, the pure core untouched.
 */
import { canonicalEqual, contentHash, type GatewayIR } from '@portico/ir';

export class IRHashes {
  readonly #last = new Map<string, { ir: GatewayIR; hash: string }>();

  /** `contentHash(ir)`, reusing the last hash of `key` when its IR is unchanged. */
  hash(key: string, ir: GatewayIR): string {
    const last = this.#last.get(key);
    if (last !== undefined && canonicalEqual(last.ir, ir)) return last.hash;
    const hash = contentHash(ir);
    this.#last.set(key, { ir, hash });
    return hash;
  }

  /** Forgets a Gateway whose IR was withdrawn. */
  forget(key: string): void {
    this.#last.delete(key);
  }
}
