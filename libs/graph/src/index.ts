/**
 * @portico/graph: the pure core that resolves a snapshot of Kubernetes objects into the
 * graph (`buildGraph`: attachment, references, validation), turns one Gateway of it into the
 * IR (`buildGatewayIR`), and tells the watcher which reconcile keys a change affects
 * (`affectedKeys`). No I/O, no clock.
 */
export type * from './resources.ts';
export * from './snapshot.ts';
export * from './keys.ts';
export * from './validation.ts';
export * from './hostnames.ts';
export * from './labels.ts';
export * from './precedence.ts';
export * from './naming.ts';
export type * from './types.ts';
export type * from './backendtls-types.ts';
export { buildGraph } from './graph.ts';
export type { ListenerSet, ListenerSetNode } from './listenerset.ts';
export { parentGatewayKey } from './listenerset.ts';
export { buildGatewayIR } from './ir.ts';
export { affectedKeys } from './affected.ts';
export type { AffectedDeps } from './affected.ts';
export { normalizeParentRef } from './httproute.ts';
export { routeParentConditions, statusParentRef } from './desired.ts';
export { buildStreamGraph, buildStreamIR } from './streamir.ts';
export type { StreamGraph } from './streamir.ts';
export type { StreamRoute, StreamRouteKind, StreamRouteNode } from './streamroute.ts';
