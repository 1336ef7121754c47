import { RnnModelsError } from './errors';

/** Renders a value for an error message: arrays and objects as JSON, strings quoted. */
export function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
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
