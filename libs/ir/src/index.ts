/** @portico/ir: the per-Gateway intermediate representation and its content hash. */
export * from './types.ts';
export * from './hash.ts';
export type * from './stream.ts';
export type * from './backend-tls.ts';
