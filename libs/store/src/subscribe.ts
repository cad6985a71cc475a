import type { Logger } from '@portico/telemetry';
import type { Cluster, Redis as RedisNode } from 'ioredis';

/** One Redis node (single or found through Sentinel) or a Redis Cluster: the same commands. */
type Redis = RedisNode | Cluster;
import type { IRMessage } from './ir.ts';

/**
 * What a subscriber is told. `resync` follows every (re)subscription, the first one included:
 * messages published while the subscription was down are lost (Redis pub/sub keeps nothing),
 * so the subscriber must compare its state with `listIRKeys()`/`getIR()` then.
 */
export type IRChange =
  | { kind: 'updated'; gatewayKey: string; hash: string }
  | { kind: 'deleted'; gatewayKey: string }
  | { kind: 'resync' };

/** A live subscription; `close()` ends it and its connection. */
export interface IRSubscription {
  close(): Promise<void>;
}

/**
 * Subscribes on a dedicated connection (a subscribed Redis connection can run nothing else).
 * ioredis reconnects after a Redis restart; this subscribes again itself on each `ready` (its
 * own autoResubscribe is off so the moment of resubscription is known) and then emits `resync`.
 */
export async function subscribeIR(
  connection: Redis,
  channel: string,
  onChange: (change: IRChange) => void,
  logger?: Logger,
): Promise<IRSubscription> {
  let initialised = false;
  const resubscribe = async (): Promise<void> => {
    await connection.subscribe(channel);
    onChange({ kind: 'resync' });
  };
  connection.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    const change = parseMessage(message);
    if (change) onChange(change);
    else logger?.warn({ channel, message }, 'ignoring malformed IR message');
  });
  connection.on('ready', () => {
    if (!initialised) return;
    logger?.info({ channel }, 'resubscribing to IR changes after reconnect');
    resubscribe().catch((err: unknown) => logger?.error({ err, channel }, 'resubscribe failed'));
  });
  await resubscribe();
  initialised = true;
  return {
    close: async () => {
      connection.removeAllListeners('ready');
      connection.disconnect();
    },
  };
}

function parseMessage(message: string): IRChange | undefined {
  try {
    const parsed = JSON.parse(message) as Partial<IRMessage>;
    if (typeof parsed.gatewayKey !== 'string') return undefined;
    if (typeof parsed.hash === 'string') {
      return { kind: 'updated', gatewayKey: parsed.gatewayKey, hash: parsed.hash };
    }
    return parsed.hash === null ? { kind: 'deleted', gatewayKey: parsed.gatewayKey } : undefined;
  } catch {
    return undefined;
  }
}
