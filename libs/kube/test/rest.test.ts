import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KubeApiError,
  RESOURCES,
  collectionPath,
  isConflict,
  isNotFound,
  objectPath,
  type KubeObject,
  type KubeRest,
} from '../src/index.ts';
import { createGateway, gatewayManifest, startApi, thrown, type Api } from './helpers.ts';

let api: Api;
let rest: KubeRest;
let stale: KubeObject;

beforeAll(async () => {
  api = await startApi();
  rest = api.rest;
  stale = await createGateway(rest, 'conflicted');
  await createGateway(rest, 'other');
  // Move the object on, so `stale` carries an outdated resourceVersion.
  await rest.request('PUT', objectPath(RESOURCES.Gateway, 'default', 'conflicted'), {
    body: { ...stale, metadata: { ...stale.metadata, labels: { moved: 'on' } } },
  });
});
afterAll(() => api.stop());

const gatewayPath = (name: string) => objectPath(RESOURCES.Gateway, 'default', name);

describe('KubeRest errors', () => {
  it.each([
    {
      name: '404 NotFound for a missing object',
      code: 404,
      reason: 'NotFound',
      call: () => rest.request('GET', gatewayPath('missing')),
    },
    {
      name: '409 Conflict for an update with a stale resourceVersion',
      code: 409,
      reason: 'Conflict',
      call: () => rest.request('PUT', gatewayPath('conflicted'), { body: stale }),
    },
    {
      name: '409 AlreadyExists for a second create of one name',
      code: 409,
      reason: 'AlreadyExists',
      call: () =>
        rest.request('POST', collectionPath(RESOURCES.Gateway, 'default'), {
          body: gatewayManifest('conflicted'),
        }),
    },
    {
      name: '422 Invalid for a Gateway without listeners',
      code: 422,
      reason: 'Invalid',
      call: () =>
        rest.request('POST', collectionPath(RESOURCES.Gateway, 'default'), {
          body: { ...gatewayManifest('invalid'), spec: { gatewayClassName: 'portico' } },
        }),
    },
  ])('$name', async ({ code, reason, call }) => {
    const error = await thrown(call);
    expect(error).toBeInstanceOf(KubeApiError);
    const apiError = error as KubeApiError;
    expect({ code: apiError.code, reason: apiError.reason }).toEqual({ code, reason });
    expect(apiError.message).not.toBe('');
    expect(isNotFound(error)).toBe(code === 404);
    expect(isConflict(error)).toBe(code === 409);
  });

  it('names the offending field in a 422 message', async () => {
    const error = (await thrown(() =>
      rest.request('POST', collectionPath(RESOURCES.Gateway, 'default'), {
        body: { ...gatewayManifest('invalid'), spec: { gatewayClassName: 'portico' } },
      }),
    )) as KubeApiError;
    expect(error.message).toContain('listeners');
  });

  it('returns the parsed object on success, with query parameters applied', async () => {
    const list = await rest.request<{ items: KubeObject[] }>(
      'GET',
      collectionPath(RESOURCES.Gateway, 'default'),
      { query: { fieldSelector: 'metadata.name=conflicted', unused: undefined } },
    );
    expect(list.items.map((item) => item.metadata.name)).toEqual(['conflicted']);
  });
});
