import { describe, expect, it } from 'vitest';
import type { DataPlaneState } from '../src/index.ts';
import { gatewayClassStatus, gatewayStatuses } from '../src/index.ts';
import { gateway, graphOf, world } from './fixtures.ts';

const t0 = new Date('2026-05-01T10:00:00Z');
const t1 = new Date('2026-05-01T11:00:00Z');
const key = 'gateway/default/gw';
const addresses = [{ value: '127.0.0.1' }];

function statusOf(snapshotGateway = gateway(), dataPlane: DataPlaneState = {}, now = t0) {
  const result = gatewayStatuses(graphOf(world(snapshotGateway)), key, {
    now,
    addresses,
    dataPlane,
    irHash: 'h1',
  });
  if (result.gateway === undefined) throw new Error('expected our Gateway');
  return result.gateway;
}

describe('Gateway Programmed', () => {
  it.each([
    {
      name: 'acknowledged current hash',
      dataPlane: { appliedHash: 'h1' },
      want: ['True', 'Programmed'],
      listener: ['True', 'Programmed'],
    },
    {
      name: 'older hash applied: pending',
      dataPlane: { appliedHash: 'h0' },
      want: ['False', 'Pending'],
      listener: ['False', 'Pending'],
    },
    {
      name: 'nothing applied yet: pending',
      dataPlane: {},
      want: ['False', 'Pending'],
      listener: ['False', 'Pending'],
    },
    {
      name: 'nginx -t failed: invalid',
      dataPlane: { appliedHash: 'h0', error: 'unknown directive "x"' },
      want: ['False', 'Invalid'],
      listener: ['False', 'Invalid'],
    },
  ])('$name', ({ dataPlane, want, listener }) => {
    const status = statusOf(gateway(), dataPlane).status;
    const programmed = status.conditions.find((c) => c.type === 'Programmed');
    expect([programmed?.status, programmed?.reason]).toEqual(want);
    const lp = status.listeners[0]?.conditions.find((c) => c.type === 'Programmed');
    expect([lp?.status, lp?.reason]).toEqual(listener);
    if (dataPlane.error !== undefined) expect(programmed?.message).toContain(dataPlane.error);
  });

  it('an invalid listener is not programmed even when the Gateway is', () => {
    const gw = gateway({
      listeners: [
        { name: 'http', port: 80, protocol: 'HTTP' },
        // An implementation-specific protocol Portico does not serve.
        { name: 'custom', port: 90, protocol: 'example.com/custom' },
      ],
    });
    const status = statusOf(gw, { appliedHash: 'h1' }).status;
    const custom = status.listeners.find((l) => l.name === 'custom');
    expect(custom?.conditions.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['Accepted', 'False', 'UnsupportedProtocol'],
      ['Programmed', 'False', 'Invalid'],
      ['ResolvedRefs', 'True', 'ResolvedRefs'],
      ['Conflicted', 'False', 'NoConflicts'],
    ]);
    expect(status.conditions.find((c) => c.type === 'Accepted')?.reason).toBe('ListenersNotValid');
  });
});

describe('Gateway status shape', () => {
  it('writes addresses with a type, observedGeneration, supportedKinds and attachedRoutes', () => {
    const status = statusOf(gateway(), { appliedHash: 'h1' }).status;
    expect(status.addresses).toEqual([{ type: 'IPAddress', value: '127.0.0.1' }]);
    expect(status.conditions.every((c) => c.observedGeneration === 4)).toBe(true);
    expect(status.listeners[0]).toMatchObject({
      name: 'http',
      attachedRoutes: 0,
      supportedKinds: [
        { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' },
        { group: 'gateway.networking.k8s.io', kind: 'GRPCRoute' },
      ],
    });
  });

  it('is unchanged on a second pass, keeping lastTransitionTime', () => {
    const first = statusOf(gateway(), { appliedHash: 'h1' }, t0);
    expect(first.changed).toBe(true);
    const second = statusOf(gateway({}, first.status), { appliedHash: 'h1' }, t1);
    expect(second.changed).toBe(false);
    expect(second.status).toEqual(first.status);
  });

  it('moves lastTransitionTime only for the condition whose status flips', () => {
    const first = statusOf(gateway(), {}, t0);
    const second = statusOf(gateway({}, first.status), { appliedHash: 'h1' }, t1);
    expect(second.changed).toBe(true);
    const time = (type: string) =>
      second.status.conditions.find((c) => c.type === type)?.lastTransitionTime;
    expect(time('Accepted')).toBe('2026-05-01T10:00:00Z');
    expect(time('Programmed')).toBe('2026-05-01T11:00:00Z');
  });

  it('leaves Gateways of other classes alone', () => {
    const theirs = gateway({ gatewayClassName: 'not-ours' });
    const result = gatewayStatuses(graphOf(world(theirs)), key, {
      now: t0,
      addresses,
      dataPlane: {},
      irHash: 'h',
    });
    expect(result.gateway).toBeUndefined();
  });
});

describe('gatewayClassStatus', () => {
  it('accepts our class, sorts features, and says unchanged on a second pass', () => {
    const graph = graphOf(world());
    const first = gatewayClassStatus(graph, 'portico', {
      now: t0,
      supportedFeatures: ['HTTPRoute', 'Gateway', 'HTTPRoute'],
    });
    expect(first?.status.supportedFeatures).toEqual([{ name: 'Gateway' }, { name: 'HTTPRoute' }]);
    expect(first?.status.conditions).toEqual([
      {
        type: 'Accepted',
        status: 'True',
        reason: 'Accepted',
        message: 'GatewayClass is accepted',
        observedGeneration: 2,
        lastTransitionTime: '2026-05-01T10:00:00Z',
      },
    ]);
    const snapshot = world();
    const ours = snapshot.gatewayClasses[0];
    if (ours === undefined || first === undefined) throw new Error('fixture');
    ours.status = first.status;
    const second = gatewayClassStatus(graphOf(snapshot), 'portico', {
      now: t1,
      supportedFeatures: ['Gateway', 'HTTPRoute'],
    });
    expect(second?.changed).toBe(false);
  });

  it('has nothing to say about a class that is not ours', () => {
    expect(
      gatewayClassStatus(graphOf(world()), 'nope', { now: t0, supportedFeatures: [] }),
    ).toBeUndefined();
  });
});

describe('Gateway addresses (spec.addresses)', () => {
  const condition = (status: ReturnType<typeof statusOf>['status'], type: string) => {
    const c = status.conditions.find((x) => x.type === type);
    return [c?.status, c?.reason];
  };

  it.each([
    {
      name: 'none requested: the data plane addresses',
      requested: undefined,
      addresses: [{ type: 'IPAddress', value: '127.0.0.1' }],
      accepted: ['True', 'Accepted'],
      programmed: ['True', 'Programmed'],
    },
    {
      name: 'a usable IP',
      requested: [{ type: 'IPAddress', value: '127.0.0.1' }],
      addresses: [{ type: 'IPAddress', value: '127.0.0.1' }],
      accepted: ['True', 'Accepted'],
      programmed: ['True', 'Programmed'],
    },
    {
      name: 'an IP the data plane cannot use: not programmed, not reported',
      requested: [{ value: '127.0.0.1' }, { type: 'IPAddress', value: '203.0.113.9' }],
      addresses: [{ type: 'IPAddress', value: '127.0.0.1' }],
      accepted: ['True', 'Accepted'],
      programmed: ['False', 'AddressNotUsable'],
    },
    {
      name: 'an empty value: one is assigned',
      requested: [{ type: 'IPAddress' }],
      addresses: [{ type: 'IPAddress', value: '127.0.0.1' }],
      accepted: ['True', 'Accepted'],
      programmed: ['True', 'Programmed'],
    },
    {
      name: 'an unsupported type: not accepted',
      requested: [{ type: 'example.com/custom', value: 'x' }, { value: '127.0.0.1' }],
      addresses: [{ type: 'IPAddress', value: '127.0.0.1' }],
      accepted: ['False', 'UnsupportedAddress'],
      programmed: ['False', 'Invalid'],
    },
  ])('$name', ({ requested, addresses: want, accepted, programmed }) => {
    const gw = gateway(requested === undefined ? {} : { addresses: requested });
    const { status } = statusOf(gw, { appliedHash: 'h1' });
    expect(condition(status, 'Accepted')).toEqual(accepted);
    expect(condition(status, 'Programmed')).toEqual(programmed);
    expect(status.addresses).toEqual(want);
  });
});

describe('HTTPS listener status', () => {
  it.each([
    {
      name: 'a missing certificate Secret',
      tls: { certificateRefs: [{ name: 'nope' }] },
      resolved: ['False', 'InvalidCertificateRef'],
      programmed: ['False', 'Invalid'],
    },
    {
      name: 'a Secret in another namespace without a grant',
      tls: { certificateRefs: [{ name: 'cert', namespace: 'other' }] },
      resolved: ['False', 'RefNotPermitted'],
      programmed: ['False', 'Invalid'],
    },
  ])('$name: ResolvedRefs and Programmed False', ({ tls, resolved, programmed }) => {
    const gw = gateway({ listeners: [{ name: 'https', port: 443, protocol: 'HTTPS', tls }] });
    const { status } = statusOf(gw, { appliedHash: 'h1' });
    const listener = status.listeners[0];
    const of = (type: string) => {
      const c = listener?.conditions.find((x) => x.type === type);
      return [c?.status, c?.reason];
    };
    expect(of('Accepted')).toEqual(['True', 'Accepted']);
    expect(of('ResolvedRefs')).toEqual(resolved);
    expect(of('Programmed')).toEqual(programmed);
    expect(listener?.supportedKinds).toContainEqual({
      group: 'gateway.networking.k8s.io',
      kind: 'HTTPRoute',
    });
  });
});
