/**
 * Conditions of a ListenerSet (`status.conditions`) and the ListenerSet-only reasons of its
 * listener entries. ListenerSet `Programmed` mirrors `Accepted` when the set is refused (the
 * conformance suite asks for the same reason on both), and otherwise follows its Gateway.
 */
import { condition } from './make.ts';
import { ConditionType as T, Reason as R } from './reasons.ts';
import type { DesiredCondition } from './types.ts';

/** Reasons that only ListenerSets use (apis/v1/listenerset_types.go). */
export const ListenerSetReason = {
  NotAllowed: 'NotAllowed',
  ParentNotAccepted: 'ParentNotAccepted',
  ParentNotProgrammed: 'ParentNotProgrammed',
  ListenersNotValid: 'ListenersNotValid',
} as const;
export type ListenerSetRefusal =
  | typeof ListenerSetReason.NotAllowed
  | typeof ListenerSetReason.ParentNotAccepted
  | typeof ListenerSetReason.ListenersNotValid;

/** Every listener of the set is valid and merged into its Gateway. */
export function listenerSetAccepted(): DesiredCondition {
  return condition(T.Accepted, 'True', R.Accepted, 'ListenerSet is accepted');
}

/** Some listeners are invalid or conflicted; the others are served. */
export function listenerSetAcceptedListenersNotValid(msg: string): DesiredCondition {
  return condition(T.Accepted, 'True', ListenerSetReason.ListenersNotValid, msg);
}

/** The set is not attached: not allowed, parent not accepted, or no valid listener. */
export function listenerSetRefused(reason: ListenerSetRefusal, msg: string): DesiredCondition {
  return condition(T.Accepted, 'False', reason, msg);
}

export function listenerSetProgrammed(): DesiredCondition {
  return condition(T.Programmed, 'True', R.Programmed, 'ListenerSet is programmed');
}

/** Not programmed, with the reason that explains it (the refusal's, Pending or Invalid). */
export function listenerSetNotProgrammed(reason: string, msg: string): DesiredCondition {
  return condition(T.Programmed, 'False', reason, msg);
}

/** A listener entry that is not programmed, for the reason given (e.g. its conflict). */
export function listenerEntryNotProgrammed(reason: string, msg: string): DesiredCondition {
  return condition(T.Programmed, 'False', reason, msg);
}
