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

/** Smallest and largest seed: the int32 and uint32 ranges, so every seed is one 32-bit state. */
const SEED_MIN = -(2 ** 31);
const SEED_MAX = 2 ** 32 - 1;

/**
 * Internal: throws `INVALID_ARGUMENT` unless `seed` is undefined or an integer in
 * [-2^31, 2^32 - 1]. Outside that range the low 32 bits would make it silently equal to another
 * seed (2^32 + 1 to 1), so it is refused, as numpy refuses seeds of 2^32 and above.
 */
export function checkSeed(seed: unknown, required = false): number | undefined {
  if (seed === undefined && !required) return undefined;
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < SEED_MIN || seed > SEED_MAX) {
    throw new SequenceWindowsError({
      code: 'INVALID_ARGUMENT',
      argument: 'seed',
      message: `seed: expected an integer in [${SEED_MIN}, ${SEED_MAX}] (a 32-bit seed)${required ? '' : ' or undefined'}, got ${describe(seed)}`,
    });
  }
  return seed;
}

/** Internal: throws `INVALID_ARGUMENT` unless `value` is undefined or a boolean. */
export function checkBoolean(value: unknown, argument: string): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new SequenceWindowsError({
      code: 'INVALID_ARGUMENT',
      argument,
      message: `${argument}: expected true or false, got ${describe(value)}`,
    });
  }
  return value;
}

/**
 * Internal: the options object of a public function. `undefined` gives `{}` unless the options are
 * required (they hold a required field); anything else that is not an object is refused, so that
 * `null` or a number does not surface as a raw TypeError from destructuring.
 */
export function readOptions<T extends object>(
  options: T | undefined,
  fields: string,
  required = false,
): T {
  if (options === undefined && !required) return {} as T;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new SequenceWindowsError({
      code: 'INVALID_ARGUMENT',
      argument: 'options',
      message: `options: expected an options object ${fields}${required ? '' : ' or undefined'}, got ${describe(options)}`,
    });
  }
  return options;
}

/** Internal: throws `INVALID_ARGUMENT` unless `value` is an array, a typed array or another array-like object. */
export function checkArrayLike<T>(value: unknown, argument: string, what: string): ArrayLike<T> {
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof (value as { length?: unknown }).length !== 'number'
  ) {
    throw new SequenceWindowsError({
      code: 'INVALID_ARGUMENT',
      argument,
      message: `${argument}: expected ${what}, got ${describe(value)}`,
    });
  }
  return value as ArrayLike<T>;
}
