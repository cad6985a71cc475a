import { describe, expect, it } from 'vitest';
import type { Gateway, GatewaySpecAddress } from '@portico/graph';
import { assignAddresses } from '../src/addresses.ts';
import { gatewayStatuses } from '../src/index.ts';
import { gateway, graphOf, world } from './fixtures.ts';

const LOCAL = { type: 'IPAddress', value: '127.0.0.1' };

describe('assignAddresses', () => {
  it.each<{
    name: string;
    requested: GatewaySpecAddress[];
    available: Array<{ type?: string; value: string }>;
    addresses: Array<{ type: string; value: string }>;
    unusable: string[];
    unassigned: string[];
  }>([
    {
      name: 'nothing requested: the data plane addresses',
      requested: [],
      available: [{ value: '127.0.0.1' }],
      addresses: [LOCAL],
      unusable: [],
      unassigned: [],
    },
    {
      name: 'a usable IP and an unusable one',
      requested: [{ value: '203.0.113.10' }, LOCAL],
      available: [LOCAL],
      addresses: [LOCAL],
      unusable: ['203.0.113.10'],
      unassigned: [],
    },
    {
      name: 'an empty value takes the data plane address',
      requested: [{ type: 'IPAddress' }],
      available: [LOCAL],
      addresses: [LOCAL],
      unusable: [],
      unassigned: [],
    },
    {
      name: 'no data plane address yet: requests are unassigned, not unusable',
      requested: [{ type: 'IPAddress' }, { value: '127.0.0.1' }],
      available: [],
      addresses: [],
      unusable: [],
      unassigned: ['(any IPAddress)', '127.0.0.1'],
    },
    {
      name: 'other types are left to the graph (UnsupportedAddress)',
      requested: [{ type: 'Hostname', value: 'gw.example.com' }, LOCAL],
      available: [LOCAL],
      addresses: [LOCAL],
      unusable: [],
      unassigned: [],
    },
  ])('$name', ({ requested, available, addresses, unusable, unassigned }) => {
    const gw = gateway({ addresses: requested }) as Gateway & { kind: 'Gateway' };
    expect(assignAddresses(gw, available)).toEqual({ addresses, unusable, unassigned });
  });
});

describe('Programmed while the data plane has no address', () => {
  const programmedOf = (requested: GatewaySpecAddress[], available: Array<{ value: string }>) => {
    const result = gatewayStatuses(
      graphOf(world(gateway({ addresses: requested }))),
      'gateway/default/gw',
      {
        now: new Date('2026-05-01T10:00:00Z'),
        addresses: available,
        dataPlane: { appliedHash: 'h1' },
        irHash: 'h1',
      },
    );
    const c = result.gateway?.status.conditions.find((x) => x.type === 'Programmed');
    return [c?.status, c?.reason];
  };

  it.each([
    {
      name: 'no address yet',
      requested: [{ type: 'IPAddress' }],
      available: [],
      want: ['False', 'AddressNotAssigned'],
    },
    {
      name: 'address assigned',
      requested: [{ type: 'IPAddress' }],
      available: [{ value: '127.0.0.1' }],
      want: ['True', 'Programmed'],
    },
    {
      name: 'an unusable IP wins over an unassigned one',
      requested: [{ value: '203.0.113.10' }],
      available: [{ value: '127.0.0.1' }],
      want: ['False', 'AddressNotUsable'],
    },
  ])('$name', ({ requested, available, want }) => {
    expect(programmedOf(requested, available)).toEqual(want);
  });
});
