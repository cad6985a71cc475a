/**
 * Gateway addresses (`spec.addresses`, `status.addresses`): a typed value, where IPAddress
 * values must parse as IPv4/IPv6 (the CRD's anyOf on `format`) and Hostname values must be
 * hostnames (a rule).
 */
import { isIP } from 'node:net';
import type { ArraySchema, CheckCause, Obj, ObjectSchema } from '../dsl.ts';
import { array, object, rule, string } from '../dsl.ts';
import { has } from '../values.ts';
import { PATTERNS } from './common.ts';

const HOSTNAME = String.raw`^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`;
const hostnameRegex = new RegExp(HOSTNAME);

/** The CRD's anyOf: an IPAddress value must be an IPv4 or IPv6 address. */
function ipAddressCheck(address: Obj, path: string): readonly CheckCause[] {
  const value = address.value;
  if (address.type !== 'IPAddress' || typeof value !== 'string' || isIP(value) !== 0) return [];
  const valuePath = `${path}.value`;
  return [
    {
      reason: 'FieldValueInvalid',
      field: '',
      value: '',
      detail: `${path} must validate at least one schema (anyOf)`,
    },
    ...['ipv4', 'ipv6'].map((format): CheckCause => ({
      reason: 'FieldValueTypeInvalid',
      field: valuePath,
      value,
      detail: `${valuePath} in body must be of type ${format}: "${value}"`,
    })),
  ];
}

function address(forStatus: boolean): ObjectSchema {
  const hostnameRule = forStatus
    ? rule<Obj>(
        `Hostname value must only contain valid characters (matching ${HOSTNAME})`,
        (a) => a.type !== 'Hostname' || hostnameRegex.test(String(a.value)),
      )
    : rule<Obj>(
        `Hostname value must be empty or contain only valid characters (matching ${HOSTNAME})`,
        (a) => a.type !== 'Hostname' || !has(a, 'value') || hostnameRegex.test(String(a.value)),
      );
  return object(
    {
      type: string({
        minLength: 1,
        maxLength: 253,
        pattern: PATTERNS.addressType,
        default: 'IPAddress',
      }),
      value: string({ maxLength: 253, ...(forStatus ? { minLength: 1 } : {}) }),
    },
    {
      ...(forStatus ? { required: ['value'] } : {}),
      rules: [hostnameRule],
      checks: [ipAddressCheck],
    },
  );
}

/** "<Type> values must be unique" across the list. */
function uniqueValues(type: string) {
  return rule<readonly unknown[]>(`${type} values must be unique`, (list) => {
    const same = (list as Obj[]).filter((a) => a.type === type && has(a, 'value'));
    return same.every((a1) => same.filter((a2) => a2.value === a1.value).length === 1);
  });
}

/** Gateway `spec.addresses`: at most 16, values unique per type. */
export function specAddresses(): ArraySchema {
  return array(address(false), {
    maxItems: 16,
    listType: 'atomic',
    rules: [uniqueValues('IPAddress'), uniqueValues('Hostname')],
  });
}

/** Gateway `status.addresses`. */
export function statusAddresses(): ArraySchema {
  return array(address(true), { maxItems: 16, listType: 'atomic' });
}
