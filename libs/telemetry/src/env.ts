/**
 * Reading settings from the environment (12-factor: the same image everywhere). Every service
 * parses its counts, ports and durations the same way, so a typo fails the start with the
 * variable's name instead of becoming `NaN` deep inside a timer or a listen call.
 */

/** The environment as services receive it (`process.env`, or a plain record in tests). */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The non-negative integer in `env[name]`, or `fallback` when it is unset or empty. Throws
 * when the value is not an integer, is negative, or exceeds `max` (e.g. 65535 for a port).
 */
export function envInteger(env: Environment, name: string, fallback: number, max?: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || (max !== undefined && value > max)) {
    const range = max === undefined ? 'a non-negative integer' : `an integer from 0 to ${max}`;
    throw new Error(`${name} must be ${range}, got "${raw}"`);
  }
  return value;
}
