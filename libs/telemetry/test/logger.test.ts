import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../src/index.ts';
import type { LoggerOptions } from '../src/index.ts';

/** A logger writing into an array of parsed JSON lines. */
function capture(service: string, options: LoggerOptions = {}) {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger(service, { ...options, destination }), lines };
}

describe('createLogger', () => {
  const saved = process.env['LOG_LEVEL'];
  afterEach(() => {
    if (saved === undefined) delete process.env['LOG_LEVEL'];
    else process.env['LOG_LEVEL'] = saved;
  });

  it('binds the service name on every line', () => {
    const { logger, lines } = capture('watcher');
    logger.info('one');
    logger.child({ key: 'gateway/a/b' }).warn('two');
    expect(lines.map((l) => [l['service'], l['msg']])).toEqual([
      ['watcher', 'one'],
      ['watcher', 'two'],
    ]);
    expect(lines[1]?.['key']).toBe('gateway/a/b');
  });

  it.each([
    ['secret data one level down', { secret: { data: { 'tls.key': 'S3CRET' } } }, 'secret.data'],
    ['secret data at the top', { data: { password: 'S3CRET' } }, 'data'],
    ['a TLS private key', { cert: { tls: { key: 'S3CRET', crt: 'public' } } }, 'cert.tls.key'],
    [
      'an authorization header',
      { headers: { authorization: 'Bearer S3CRET' } },
      'headers.authorization',
    ],
    ['a top-level authorization', { authorization: 'Bearer S3CRET' }, 'authorization'],
  ])('redacts %s', (_name, fields, path) => {
    const { logger, lines } = capture('renderer');
    logger.info(fields, 'object');
    const line = lines[0] ?? {};
    expect(JSON.stringify(line)).not.toContain('S3CRET');
    expect(path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], line)).toBe(
      '[redacted]',
    );
  });

  it('keeps fields that are not secret', () => {
    const { logger, lines } = capture('renderer');
    logger.info({ cert: { tls: { crt: 'public' } } }, 'object');
    expect(lines[0]?.['cert']).toEqual({ tls: { crt: 'public' } });
  });

  it.each([
    ['LOG_LEVEL=warn drops info', 'warn', undefined, ['warn']],
    ['LOG_LEVEL=debug keeps debug', 'debug', undefined, ['debug', 'info', 'warn']],
    ['an explicit level wins over LOG_LEVEL', 'debug', 'warn', ['warn']],
  ])('%s', (_name, env, level, expected) => {
    process.env['LOG_LEVEL'] = env;
    const { logger, lines } = capture('reconciler', level ? { level } : {});
    logger.debug('debug');
    logger.info('info');
    logger.warn('warn');
    expect(lines.map((l) => l['msg'])).toEqual(expected);
  });
});
