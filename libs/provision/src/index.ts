/**
 * @portico/provision: the pure core of per-Gateway data planes. GatewayParameters are
 * validated and layered (class, then Gateway) into settings; a Gateway and its settings become
 * the desired Deployment, Service, Secret, ServiceAccount with its certificate Roles, and
 * PodDisruptionBudget; the Service's status becomes the Gateway's addresses. No I/O: the reconciler applies what this computes.
 */
export * from './parameters.ts';
export * from './reference.ts';
export * from './names.ts';
export * from './objects.ts';
export * from './desired.ts';
export * from './access.ts';
export * from './readable.ts';
export * from './disruption.ts';
export * from './addresses.ts';
export * from './environment.ts';
