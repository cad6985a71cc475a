/**
 * @portico/conditions: the condition vocabulary of Portico. Reason constants, one small
 * constructor per situation, an error type that carries its condition, and the pure merge
 * helpers that attach time (passed in) and observedGeneration.
 */
export * from './types.ts';
export * from './reasons.ts';
export * from './error.ts';
export * from './make.ts';
export * from './merge.ts';
export * from './gateway.ts';
export * from './listener.ts';
export * from './route.ts';
export * from './listenerset.ts';
export * from './policy.ts';
export * from './gateway-tls.ts';
export * from './frontend-tls.ts';
