/**
 * @portico/store: the Redis object store and data-plane bus. The watcher mirrors API objects
 * here (one hash per kind), reconcilers read them and publish each Gateway's IR, renderers
 * follow IR changes over pub/sub and write back acks. Holds no Secret data (invariant 6).
 */
export * from './keys.ts';
export * from './objects.ts';
export * from './ir.ts';
export * from './subscribe.ts';
export * from './store.ts';
