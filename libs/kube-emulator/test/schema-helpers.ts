/** Shared pieces of the schema tests: expected-cause builders and the case shape. */
import type { FieldCause } from '../src/schema/index.ts';

export const G = 'gateway.networking.k8s.io';
export const HOSTNAME = String.raw`^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`;
export const SKIPPED: FieldCause = {
  reason: 'FieldValueInvalid',
  field: '<nil>',
  message:
    'Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
};

// The examples are deeply nested literals; tests reach into them through `any`.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Any = any;

export interface ErrorCase {
  name: string;
  kind: string;
  version?: string;
  make: () => Record<string, unknown>;
  mutate: (obj: Any) => void;
  causes: FieldCause[];
}

export const invalid = (field: string, message: string): FieldCause => ({
  reason: 'FieldValueInvalid',
  field,
  message,
});
export const ruleFailed = (field: string, type: string, message: string) =>
  invalid(field, `Invalid value: "${type}": ${message}`);

/** An HTTPRoute whose only match has PathPrefix `value`; `messages` are the rules it breaks. */
export const pathCase = (name: string, value: string, messages: string[]): ErrorCase => ({
  name: `HTTPRoute path ${name}`,
  kind: 'HTTPRoute',
  make: () => ({ spec: { rules: [{ matches: [{ path: { type: 'PathPrefix', value } }] }] } }),
  mutate: () => {},
  causes: messages.map((m) =>
    ruleFailed(
      'spec.rules[0].matches[0].path',
      'object',
      m.endsWith('for types')
        ? `${m} ['Exact', 'PathPrefix']`
        : `${m} when type one of ['Exact', 'PathPrefix']`,
    ),
  ),
});
