import { describe, expect, it } from 'vitest';
import type { RouteParentStatus } from '@portico/graph';
import { gatewayStatuses } from '../src/index.ts';
import { controllerName, gateway, graphOf, route, world } from './fixtures.ts';

const now = new Date('2026-05-01T10:00:00Z');
const key = 'gateway/default/gw';
const options = { now, addresses: [], dataPlane: {}, irHash: 'h' };
const old = { observedGeneration: 1, lastTransitionTime: '2026-01-01T00:00:00Z' };

const ref = (name: string, extra: object = {}) => ({
  group: 'gateway.networking.k8s.io',
  kind: 'Gateway',
  namespace: 'default',
  name,
  ...extra,
});
const entry = (
  name: string,
  controller = controllerName,
  extra: object = {},
): RouteParentStatus => ({
  parentRef: ref(name, extra),
  controllerName: controller,
  conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted', message: 'old', ...old }],
});

function routeStatus(objects: Parameters<typeof world>) {
  const result = gatewayStatuses(graphOf(world(...objects)), key, options);
  return result.routes;
}

describe('route parent entries for one Gateway', () => {
  it('writes group, kind, namespace, observedGeneration and our controllerName', () => {
    const [web] = routeStatus([gateway(), route([{ name: 'gw' }])]);
    expect(web?.status.parents).toEqual([
      {
        parentRef: ref('gw'),
        controllerName,
        conditions: [
          {
            type: 'Accepted',
            status: 'True',
            reason: 'Accepted',
            message: 'Route is accepted',
            observedGeneration: 9,
            lastTransitionTime: '2026-05-01T10:00:00Z',
          },
          {
            type: 'ResolvedRefs',
            status: 'True',
            reason: 'ResolvedRefs',
            message: 'All references are resolved',
            observedGeneration: 9,
            lastTransitionTime: '2026-05-01T10:00:00Z',
          },
        ],
      },
    ]);
    expect(web?.changed).toBe(true);
  });

  it.each([
    {
      name: "keeps other controllers' entries and ours for other Gateways, in place",
      parents: [{ name: 'gw' }, { name: 'other-gw' }],
      current: [entry('gw', 'example.com/other'), entry('other-gw'), entry('gw')],
      want: [
        ['gw', 'example.com/other', 'old'],
        ['other-gw', controllerName, 'old'],
        ['gw', controllerName, 'Route is accepted'],
      ],
    },
    {
      name: 'removes our entry for a parentRef the route no longer has',
      parents: [{ name: 'gw', sectionName: 'http' }],
      current: [entry('gw'), entry('gw', controllerName, { sectionName: 'gone' })],
      want: [['gw', controllerName, 'Route is accepted']],
    },
    {
      name: 'cleans up after a route that left this Gateway',
      parents: [{ name: 'other-gw' }],
      current: [entry('other-gw'), entry('gw')],
      want: [['other-gw', controllerName, 'old']],
    },
    {
      name: 'matches an old entry written without defaults',
      parents: [{ name: 'gw' }],
      current: [{ ...entry('gw'), parentRef: { name: 'gw' } }],
      want: [['gw', controllerName, 'Route is accepted']],
    },
  ])('$name', ({ parents, current, want }) => {
    const [web] = routeStatus([gateway(), route(parents, current)]);
    expect(
      web?.status.parents.map((p) => [
        p.parentRef.name,
        p.controllerName,
        p.conditions[0]?.message,
      ]),
    ).toEqual(want);
  });

  it('keeps lastTransitionTime of an unchanged status and says unchanged on a second pass', () => {
    const [first] = routeStatus([gateway(), route([{ name: 'gw' }])]);
    const again = gatewayStatuses(
      graphOf(world(gateway(), route([{ name: 'gw' }], first?.status.parents))),
      key,
      {
        ...options,
        now: new Date('2026-06-01T00:00:00Z'),
      },
    );
    expect(again.routes[0]?.changed).toBe(false);
    expect(again.routes[0]?.status).toEqual(first?.status);
  });

  it('still cleans up route entries when the Gateway is no longer ours', () => {
    const result = gatewayStatuses(
      graphOf(
        world(
          gateway({ gatewayClassName: 'theirs' }),
          route([{ name: 'gw' }], [entry('gw'), entry('gw', 'example.com/x')]),
        ),
      ),
      key,
      options,
    );
    expect(result.gateway).toBeUndefined();
    expect(result.routes.map((r) => r.status.parents.map((p) => p.controllerName))).toEqual([
      ['example.com/x'],
    ]);
    expect(result.routes[0]?.changed).toBe(true);
  });

  it('says nothing about routes unrelated to the Gateway', () => {
    expect(routeStatus([gateway(), route([{ name: 'other-gw' }])])).toEqual([]);
  });
});
