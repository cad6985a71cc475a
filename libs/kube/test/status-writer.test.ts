import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  KubeApiError,
  RESOURCES,
  objectPath,
  writeStatus,
  type KubeObject,
  type KubeRest,
} from '../src/index.ts';
import { createGateway, startApi, thrown, type Api } from './helpers.ts';

let api: Api;
let rest: KubeRest;

beforeAll(async () => {
  api = await startApi();
  rest = api.rest;
});
afterEach(() => api.emulator.faults.reset());
afterAll(() => api.stop());

const read = (name: string) =>
  rest.request<KubeObject>('GET', objectPath(RESOURCES.Gateway, 'default', name));

/** A valid Gateway status with one Accepted condition carrying `message`. */
function acceptedStatus(message: string) {
  return {
    conditions: [
      {
        type: 'Accepted',
        status: 'True',
        reason: 'Accepted',
        message,
        observedGeneration: 1,
        lastTransitionTime: '2026-01-01T00:00:00Z',
      },
    ],
  };
}

/** A `nextStatus` that counts its calls and always asks for `status`. */
function counting(status: unknown) {
  const calls: KubeObject[] = [];
  return {
    calls,
    next: (current: KubeObject) => {
      calls.push(current);
      return status;
    },
  };
}

const write = (name: string, next: (current: KubeObject) => unknown, maxAttempts?: number) =>
  writeStatus(rest, RESOURCES.Gateway, 'default', name, next, {
    backoffMs: 1,
    ...(maxAttempts ? { maxAttempts } : {}),
  });

describe('writeStatus', () => {
  it('writes a changed status onto the status subresource', async () => {
    await createGateway(rest, 'plain');
    expect(await write('plain', () => acceptedStatus('first'))).toBe('written');
    const stored = await read('plain');
    expect(stored.status).toMatchObject(acceptedStatus('first'));
    expect(stored.metadata.generation).toBe(1);
  });

  it('skips the write when nextStatus says unchanged (resourceVersion stays)', async () => {
    await createGateway(rest, 'unchanged');
    const before = await read('unchanged');
    const seen: unknown[] = [];
    const result = await write('unchanged', (current) => {
      seen.push(current.metadata.resourceVersion);
      return undefined;
    });
    expect(result).toBe('unchanged');
    expect(seen).toEqual([before.metadata.resourceVersion]);
    expect((await read('unchanged')).metadata.resourceVersion).toBe(
      before.metadata.resourceVersion,
    );
  });

  it('retries 409 conflicts, re-reading the object each time, and then succeeds', async () => {
    await createGateway(rest, 'conflicts');
    api.emulator.faults.failWrites('Gateway', { count: 2, code: 409, subresource: 'status' });
    const next = counting(acceptedStatus('after conflicts'));
    expect(await write('conflicts', next.next)).toBe('written');
    expect(next.calls).toHaveLength(3);
    expect((await read('conflicts')).status).toMatchObject(acceptedStatus('after conflicts'));
  });

  it('gives up after maxAttempts conflicts and throws the 409', async () => {
    await createGateway(rest, 'hopeless');
    const before = await read('hopeless');
    api.emulator.faults.failWrites('Gateway', { count: 10, code: 409, subresource: 'status' });
    const next = counting(acceptedStatus('never'));
    const error = await thrown(() => write('hopeless', next.next, 3));
    expect(error).toBeInstanceOf(KubeApiError);
    expect((error as KubeApiError).code).toBe(409);
    expect(next.calls).toHaveLength(3);
    const after = await read('hopeless');
    expect(after.status).toEqual(before.status);
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });

  it('does not retry errors other than conflicts', async () => {
    await createGateway(rest, 'broken');
    api.emulator.faults.failWrites('Gateway', { count: 1, code: 500, subresource: 'status' });
    const next = counting(acceptedStatus('x'));
    const error = await thrown(() => write('broken', next.next));
    expect((error as KubeApiError).code).toBe(500);
    expect(next.calls).toHaveLength(1);
  });

  it('reports not-found for an object that does not exist', async () => {
    const next = counting(acceptedStatus('x'));
    expect(await write('absent', next.next)).toBe('not-found');
    expect(next.calls).toHaveLength(0);
  });
});
