import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';
import { traceFields } from './tracing.ts';

export type { Logger } from 'pino';

/**
 * Paths whose values never reach a log line. Secret `data`, TLS private keys and credentials
 * must not leak through a log of an object or a request (invariant 6: no secret in logs).
 * pino's `*` matches one level, so the top level and one level down are both listed.
 */
export const REDACTED_PATHS: readonly string[] = [
  'data',
  '*.data',
  'tls.key',
  '*.tls.key',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'password',
  '*.password',
];

/** Options of {@link createLogger}; everything is optional so services start with one line. */
export interface LoggerOptions {
  /** Log level; defaults to `LOG_LEVEL` from the environment, then `info`. */
  level?: string;
  /** Where lines go; defaults to stdout. Tests pass a stream to read lines back. */
  destination?: DestinationStream;
}

/**
 * A JSON logger with `service` bound on every line, so logs of the watcher, reconciler and
 * renderer can be told apart once they are shipped to one place, and `trace_id`/`span_id` of
 * the active span on lines written inside one. Secret-bearing fields are redacted
 * ({@link REDACTED_PATHS}).
 */
export function createLogger(service: string, options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env['LOG_LEVEL'] ?? 'info';
  const config = {
    level,
    base: { service },
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
    // The active span's ids (tracing.ts), so a line can be found from a trace and back.
    mixin: traceFields,
  };
  return options.destination ? pino(config, options.destination) : pino(config);
}
