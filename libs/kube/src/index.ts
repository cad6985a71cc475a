/** @portico/kube: the thin adapter between Portico's services and the Kubernetes API. */
export * from './resources.ts';
export * from './rest.ts';
export * from './status-writer.ts';
export * from './leader-election.ts';
export * from './informer.ts';
