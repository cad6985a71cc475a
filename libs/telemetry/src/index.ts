/**
 * @portico/telemetry: what every service needs to be operable: JSON logs with secrets
 * redacted, Prometheus metrics under the `portico_` prefix, the /healthz, /readyz and /metrics
 * endpoints, and a graceful shutdown on SIGTERM.
 */
export * from './logger.ts';
export * from './metrics.ts';
export * from './ops-server.ts';
export * from './shutdown.ts';
export * from './phase-timer.ts';
