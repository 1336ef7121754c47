// Internal helpers for argument checks: every error names the argument, what was expected and
// what came, in the form "argument: expected …, got …".

import { TextPreprocessError } from './errors';

/** An `INVALID_ARGUMENT` error for `argument`. */
export function invalid(argument: string, message: string): TextPreprocessError {
  return new TextPreprocessError({ code: 'INVALID_ARGUMENT', argument, message });
}

/** A `BAD_JSON` error (argument `json`). */
export function badJson(message: string, cause?: unknown): TextPreprocessError {
  return new TextPreprocessError({ code: 'BAD_JSON', argument: 'json', message, cause });
}

/** A short description of a value for the "got …" part of a message. */
export function show(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'boolean':
      return String(value);
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
  }
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return 'an object';
}

/** Whether `value` can be iterated with `for … of`. */
export function isIterable(value: unknown): value is Iterable<unknown> {
  return (
    value !== null &&
    value !== undefined &&
    typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function'
  );
}

/**
 * Checks that `value` is an iterable (and, unless `allowString`, not a string, whose characters
 * would silently be taken as the items).
 */
export function checkIterable(
  value: unknown,
  argument: string,
  what: string,
  { allowString = false }: { allowString?: boolean } = {},
): void {
  if (!isIterable(value))
    throw invalid(argument, `${argument}: expected ${what}, got ${show(value)}`);
  if (!allowString && typeof value === 'string') {
    throw invalid(
      argument,
      `${argument}: expected ${what}, got a string (${show(value)}); wrap a single one in an array`,
    );
  }
}

/** Whether `value` is an `Array` or a typed array (not a `DataView`). */
export function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

/** Whether `value` is a plain (non-null, non-array) object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether `value` stays finite once stored in a `Float32Array`. */
export function fitsFloat32(value: number): boolean {
  return Number.isFinite(Math.fround(value));
}
