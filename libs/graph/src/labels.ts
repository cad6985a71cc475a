/**
 * Kubernetes label selectors (`metav1.LabelSelector`): matchLabels and matchExpressions,
 * ANDed; an empty selector matches everything, as the API conventions say.
 */
import type { LabelSelector } from './resources.ts';

type Expression = NonNullable<LabelSelector['matchExpressions']>[number];

function expressionMatches(labels: Record<string, string>, e: Expression): boolean {
  const has = Object.hasOwn(labels, e.key);
  const value = labels[e.key];
  const values = e.values ?? [];
  switch (e.operator) {
    case 'In':
      return has && value !== undefined && values.includes(value);
    case 'NotIn':
      return !has || value === undefined || !values.includes(value);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default:
      return false; // unknown operators select nothing, never everything
  }
}

/** Whether `labels` satisfy `selector`. */
export function selectorMatches(
  selector: LabelSelector | undefined,
  labels: Record<string, string>,
): boolean {
  if (selector === undefined) return true;
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  return byLabels && (selector.matchExpressions ?? []).every((e) => expressionMatches(labels, e));
}
