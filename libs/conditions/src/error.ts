import type { DesiredCondition } from './types.ts';

/**
 * An error that carries the condition it should become (Envoy Gateway's pattern), so callers
 * turn failures into status without matching on message strings. Validators return these.
 */
export class ConditionError extends Error {
  readonly condition: DesiredCondition;

  constructor(condition: DesiredCondition) {
    super(condition.message);
    this.name = 'ConditionError';
    this.condition = condition;
  }
}
