/**
 * An Applier on a test's real NGINX: the IRs it loads and the acks it sends stay in the test's
 * hands, and a logger can capture what is logged. Each test adds what it varies (certificate
 * reader, bridges, settings).
 */
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@portico/telemetry';
import { Applier, type Ack, type ApplierDeps, type FollowedIR } from '../../src/applier.ts';
import type { RealNginx } from './real-nginx.ts';

export interface TestApplierOptions extends Partial<ApplierDeps> {
  logger: Logger;
  /** The IRs an apply loads, read at every apply. */
  followed: () => FollowedIR[];
  /** Every batch of acks sent is pushed here (dropped when absent). */
  acks?: Ack[][];
}

/** An Applier on `real` (5 s per version wait); `deps` override any dependency. */
export function testApplier(
  real: RealNginx,
  { followed, acks, ...deps }: TestApplierOptions,
): Applier {
  return new Applier({
    ...real.applierDeps(5_000),
    loadIRs: () => Promise.resolve(followed()),
    sendAcks: (sent) => {
      acks?.push(sent);
      return Promise.resolve();
    },
    observe: () => {},
    ...deps,
  });
}

/** A debug logger whose output `text()` returns, for tests of what is (not) logged. */
export function capturingLogger(): { logger: Logger; text(): string } {
  let logged = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logged += chunk.toString();
      done();
    },
  });
  const logger = createLogger('renderer-test', { level: 'debug', destination });
  return { logger, text: () => logged };
}
