import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFrame, readFrame } from '../src/echo/websocket.ts';
import { httpGet, startEcho } from '../src/index.ts';
import type { RunningEcho } from '../src/index.ts';

/** Status of a GET, or 'reset' when the connection died without an answer. */
function statusOf(url: string): Promise<number | 'reset'> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNRESET' ? resolve('reset') : reject(error),
    );
    req.end();
  });
}

/** Sends each message over one WebSocket to `url` and collects the replies in order. */
async function exchange(url: string, messages: Array<string | Uint8Array>): Promise<unknown[]> {
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  const replies: unknown[] = [];
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => {
      for (const m of messages) ws.send(m);
    };
    ws.onmessage = (event: MessageEvent) => {
      const data: unknown = event.data;
      replies.push(data instanceof ArrayBuffer ? [...new Uint8Array(data)] : data);
      if (replies.length === messages.length) resolve();
    };
    ws.onerror = () => reject(new Error(`WebSocket to ${url} failed`));
  });
  ws.close();
  return replies;
}

describe('echo: retry simulation and WebSocket', () => {
  let echo: RunningEcho;
  beforeAll(async () => {
    echo = await startEcho({ namespace: 'ns', pod: 'infra-backend-v3-0' });
  });
  afterAll(async () => {
    await echo.stop();
  });

  it.each<[string, string, Array<number | 'reset'>]>([
    [
      'fails with responseCode until succeedAfter failures',
      'responseCode=503&succeedAfter=2',
      [503, 503, 200, 200],
    ],
    ['resets the connection without responseCode', 'succeedAfter=1', ['reset', 200]],
    ['succeedAfter=0 never fails', 'responseCode=500&succeedAfter=0', [200]],
    ['missing succeedAfter is a bad request', 'responseCode=500', [400]],
  ])('%s', async (_name, query, statuses) => {
    const url = `${echo.url}/retry/x?uuid=${randomUUID()}&${query}`;
    const got: Array<number | 'reset'> = [];
    for (const _ of statuses) got.push(await statusOf(url));
    expect(got).toEqual(statuses);
  });

  it('counts failures per uuid', async () => {
    const a = `${echo.url}/retry/x?uuid=${randomUUID()}&responseCode=500&succeedAfter=1`;
    const b = `${echo.url}/retry/x?uuid=${randomUUID()}&responseCode=500&succeedAfter=1`;
    expect([await statusOf(a), await statusOf(b), await statusOf(a)]).toEqual([500, 500, 200]);
  });

  it('echoes text and binary WebSocket frames in order', async () => {
    const url = `ws://127.0.0.1:${echo.port}/ws`;
    const big = 'x'.repeat(70_000);
    expect(await exchange(url, ['Websocket Support!', new Uint8Array([1, 2, 3]), big])).toEqual([
      'Websocket Support!',
      [1, 2, 3],
      big,
    ]);
  });

  it('refuses an upgrade on another path', async () => {
    await expect(exchange(`ws://127.0.0.1:${echo.port}/other`, ['x'])).rejects.toThrow(/failed/);
    expect((await httpGet(`${echo.url}/health`)).status).toBe(200);
  });

  it.each([
    ['short', 5],
    ['16-bit length', 300],
    ['64-bit length', 70_000],
  ])('frames round-trip through encode and read (%s)', (_name, size) => {
    const payload = Buffer.alloc(size, 7);
    const frame = readFrame(Buffer.concat([encodeFrame(0x2, true, payload), Buffer.from([1])]));
    expect(frame?.opcode).toBe(0x2);
    expect(frame?.fin).toBe(true);
    expect(frame?.payload.equals(payload)).toBe(true);
    expect(readFrame(encodeFrame(0x2, true, payload).subarray(0, -1))).toBeUndefined();
  });
});
