import { RnnModelsError } from './errors';

/** Marks a NaN or ±Infinity inside JSON.stringify's output, to be written bare afterwards. */
const NON_FINITE = '\u{e000}non-finite:';

/**
 * Renders a value for an error message: arrays and objects as JSON, strings quoted. NaN and
 * ±Infinity are written as such, also inside arrays (JSON.stringify would write `null`).
 */
export function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  try {
    const json = JSON.stringify(value, (_key, v: unknown) =>
      typeof v === 'number' && !Number.isFinite(v) ? `${NON_FINITE}${v}` : v,
    );
    return json === undefined
      ? String(value)
      : json.replace(/"\u{e000}non-finite:(NaN|-?Infinity)"/gu, '$1');
  } catch {
    return String(value);
  }
}

/** Throws `INVALID_CONFIG` naming `field`, what was expected and what came. */
export function configError(field: string, expected: string, got: unknown): never {
  throw new RnnModelsError({
    code: 'INVALID_CONFIG',
    argument: field,
    message: `${field}: expected ${expected}, got ${show(got)}`,
  });
}

/** Throws `INVALID_ARGUMENT` naming `argument`, what was expected and what came. */
export function argumentError(argument: string, expected: string, got: unknown): never {
  throw new RnnModelsError({
    code: 'INVALID_ARGUMENT',
    argument,
    message: `${argument}: expected ${expected}, got ${show(got)}`,
  });
}

export function isPositiveInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

export function checkPositiveInt(value: unknown, field: string): number {
  if (!isPositiveInt(value)) configError(field, 'a positive integer', value);
  return value;
}

export function checkRate(value: unknown, field: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    configError(field, 'a number in [0, 1)', value);
  }
  return value;
}

export function checkOneOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
  field: string,
): T {
  if (!allowed.includes(value as T)) {
    configError(field, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value);
  }
  return value as T;
}

export function checkNonNegative(value: unknown, field: string): number {
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) {
    configError(field, 'a finite number >= 0', value);
  }
  return value;
}

/** Throws `SHAPE_MISMATCH` naming `argument`, the expected shape and the one that came. */
export function shapeError(argument: string, expected: string, got: unknown): never {
  throw new RnnModelsError({
    code: 'SHAPE_MISMATCH',
    argument,
    message: `${argument}: expected ${expected}, got ${show(got)}`,
  });
}

/**
 * The index of the first value of `values` that is NaN or ±Infinity, or -1: one pass, no
 * allocation (`v - v` is 0 exactly for finite numbers).
 */
export function firstNonFinite(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v - v !== 0) return i;
  }
  return -1;
}

/** A flat index into a tensor of `shape` written as its coordinates, e.g. `[3, 2, 1]`. */
export function indexIn(flat: number, shape: readonly number[]): string {
  const coords: number[] = [];
  let rest = flat;
  for (let d = shape.length - 1; d >= 0; d--) {
    coords[d] = shape[d] > 0 ? rest % shape[d] : 0;
    rest = shape[d] > 0 ? Math.floor(rest / shape[d]) : 0;
  }
  return `[${coords.join(', ')}]`;
}

/** Throws `NON_FINITE_VALUE` naming `argument`, the value and where it is. */
export function nonFiniteError(argument: string, value: number, where: string): never {
  throw new RnnModelsError({
    code: 'NON_FINITE_VALUE',
    argument,
    message: `${argument}: expected finite numbers, got ${value} at index ${where}`,
  });
}

/** Smallest and largest seed: the int32 and uint32 ranges, so that every seed is one 32-bit state. */
const SEED_MIN = -(2 ** 31);
const SEED_MAX = 2 ** 32 - 1;

/**
 * Throws `INVALID_ARGUMENT` naming `argument` unless `seed` is undefined or an integer in
 * [-2^31, 2^32 - 1] (a negative seed is its 32-bit two's complement: -1 is 4294967295). The
 * generators keep 32 bits, so 1.5 and 2^32 + 1 would silently be seed 1, and NaN seed 0.
 */
export function checkSeed(seed: unknown, argument: string): number | undefined {
  if (seed === undefined) return undefined;
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < SEED_MIN || seed > SEED_MAX) {
    argumentError(
      argument,
      `an integer in [${SEED_MIN}, ${SEED_MAX}] (a 32-bit seed) or undefined`,
      seed,
    );
  }
  return seed;
}

/** Throws `INVALID_ARGUMENT` naming `argument` unless `options` is undefined or an object. */
export function checkOptions(options: unknown, argument = 'options'): void {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    argumentError(argument, 'an options object or undefined', options);
  }
}
