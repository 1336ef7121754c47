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
