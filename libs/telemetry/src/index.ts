/**
 * @portico/telemetry: what every service needs to be operable: JSON logs with secrets
 * redacted, Prometheus metrics under the `portico_` prefix, the /healthz, /readyz and /metrics
 * endpoints, a graceful shutdown on SIGTERM, and OpenTelemetry tracing across the pipeline.
 */
export * from './logger.ts';
export * from './metrics.ts';
export * from './ops-server.ts';
export * from './shutdown.ts';
export * from './phase-timer.ts';
export * from './tracing.ts';
export * from './env.ts';
