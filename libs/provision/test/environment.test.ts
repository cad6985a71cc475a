import { describe, expect, it } from 'vitest';
import { dataPlaneEnvironmentFromEnv } from '../src/index.ts';

describe('dataPlaneEnvironmentFromEnv', () => {
  it('is off with PORTICO_PROVISION=false', () => {
    expect(dataPlaneEnvironmentFromEnv({ PORTICO_PROVISION: 'false' })).toBeUndefined();
  });

  it('prefers the data plane Redis URL, and passes the OTEL variables on', () => {
    expect(
      dataPlaneEnvironmentFromEnv({
        REDIS_URL: 'redis://portico-redis:6379',
        PORTICO_DATAPLANE_REDIS_URL: 'redis://portico-redis.portico-system.svc:6379',
        PORTICO_DATAPLANE_IMAGE: 'example/dp:1.0.0',
        PORTICO_DATAPLANE_IMAGE_PULL_POLICY: 'IfNotPresent',
        PORTICO_REDIS_PREFIX: '{portico}',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318',
        OTEL_UNRELATED: 'x',
        LOG_LEVEL: 'debug',
      }),
    ).toEqual({
      image: 'example/dp:1.0.0',
      imagePullPolicy: 'IfNotPresent',
      redisUrl: 'redis://portico-redis.portico-system.svc:6379',
      redisPrefix: '{portico}',
      portOffset: 8000,
      logLevel: 'debug',
      extraEnv: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318' },
    });
  });

  it('passes the Redis topology on (Sentinel), credentials staying in the URL', () => {
    const env = dataPlaneEnvironmentFromEnv({
      REDIS_URL: 'rediss://portico:pw@unused:6379',
      REDIS_SENTINELS: 's1:26379,s2:26379',
      REDIS_SENTINEL_NAME: 'portico',
    });
    expect(env?.extraEnv).toEqual({
      REDIS_SENTINELS: 's1:26379,s2:26379',
      REDIS_SENTINEL_NAME: 'portico',
    });
    expect(env?.redisUrl).toBe('rediss://portico:pw@unused:6379');
  });

  it('falls back to REDIS_URL', () => {
    expect(dataPlaneEnvironmentFromEnv({ REDIS_URL: 'rediss://ext:6380' })?.redisUrl).toBe(
      'rediss://ext:6380',
    );
  });

  it.each([
    [{ PORTICO_PROVISION: 'yes' }, 'PORTICO_PROVISION must be true or false'],
    [{ PORTICO_DATAPLANE_IMAGE_PULL_POLICY: 'Sometimes' }, 'must be Always, IfNotPresent or Never'],
    [{ PORTICO_DATAPLANE_PORT_OFFSET: '-5' }, 'PORTICO_DATAPLANE_PORT_OFFSET must be an integer'],
  ])('refuses %j', (env, message) => {
    expect(() => dataPlaneEnvironmentFromEnv(env)).toThrow(message);
  });
});
