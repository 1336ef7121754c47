import { SequenceWindowsError } from './errors';

/** Internal: a short description of a value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value == null)
    return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return typeof value;
}

/** Internal: throws `INVALID_ARGUMENT` unless `value` is an integer >= `min`. */
export function checkInteger(value: unknown, argument: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new SequenceWindowsError({
      code: 'INVALID_ARGUMENT',
      argument,
      message: `${argument}: expected an integer >= ${min}, got ${describe(value)}`,
    });
  }
  return value;
}

/** Internal: throws `INVALID_ARGUMENT` unless `seed` is undefined or an integer. */
export function checkSeed(seed: unknown): number | undefined {
  if (seed === undefined) return undefined;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) {
    throw new SequenceWindowsError({
      code: 'INVALID_ARGUMENT',
      argument: 'seed',
      message: `seed: expected an integer or undefined, got ${describe(seed)}`,
    });
  }
  return seed;
}
