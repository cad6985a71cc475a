import { describe, expect, it } from 'vitest';
import type { Condition, DesiredCondition } from '../src/index.ts';
import {
  ConditionError,
  formatTime,
  mergeConditions,
  routeAccepted,
  routeBackendNotFound,
  routeNotAllowedByListeners,
  routeResolvedRefs,
} from '../src/index.ts';

const earlier = '2026-01-01T00:00:00Z';
const now = new Date('2026-02-02T10:20:30.456Z');

function existing(c: DesiredCondition, generation = 1): Condition {
  return { ...c, observedGeneration: generation, lastTransitionTime: earlier };
}

describe('mergeConditions', () => {
  it.each([
    {
      name: 'same status and reason keeps lastTransitionTime',
      before: [existing(routeAccepted())],
      desired: [routeAccepted()],
      time: earlier,
    },
    {
      name: 'same status, new message keeps lastTransitionTime',
      before: [existing(routeBackendNotFound('a missing'))],
      desired: [routeBackendNotFound('b missing')],
      time: earlier,
    },
    {
      name: 'status flip stamps now',
      before: [existing(routeAccepted())],
      desired: [routeNotAllowedByListeners('no')],
      time: '2026-02-02T10:20:30Z',
    },
    {
      name: 'new condition type stamps now',
      before: [],
      desired: [routeResolvedRefs()],
      time: '2026-02-02T10:20:30Z',
    },
    {
      name: 'no previous status stamps now',
      before: undefined,
      desired: [routeAccepted()],
      time: '2026-02-02T10:20:30Z',
    },
  ])('$name', ({ before, desired, time }) => {
    const [merged] = mergeConditions(before, desired, now, 7);
    expect(merged?.lastTransitionTime).toBe(time);
    expect(merged?.observedGeneration).toBe(7);
    expect(merged?.message).toBe(desired[0]?.message);
  });

  it('drops types no longer desired and keeps the desired order', () => {
    const merged = mergeConditions(
      [existing(routeResolvedRefs()), existing(routeAccepted())],
      [routeAccepted()],
      now,
      2,
    );
    expect(merged.map((c) => c.type)).toEqual(['Accepted']);
  });
});

describe('formatTime', () => {
  it('writes RFC 3339 with whole seconds, as metav1.Time does', () => {
    expect(formatTime(now)).toBe('2026-02-02T10:20:30Z');
  });
});

describe('ConditionError', () => {
  it('carries its condition and uses its message', () => {
    const err = new ConditionError(routeBackendNotFound('Service default/x not found'));
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toBe('Service default/x not found');
    expect(err.condition.reason).toBe('BackendNotFound');
  });
});
