import { EvalMetricsError } from './errors';
import {
  isTensorLike,
  type Label,
  type LabelInput,
  type MatrixInput,
  type NumericInput,
} from './tensor-like';

/** A dense array with its shape, read from nested arrays, typed arrays or a tensor. */
export interface Dense {
  data: ArrayLike<unknown>;
  shape: number[];
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

/** Reads nested arrays (any depth, rectangular) or a tensor into flat data and a shape. */
export function toDense(value: unknown, argument: string): Dense {
  if (isTensorLike(value)) return { data: value.dataSync(), shape: [...value.shape] };
  if (
    value === null ||
    typeof value !== 'object' ||
    typeof (value as { length?: unknown }).length !== 'number'
  ) {
    throw new EvalMetricsError({
      code: 'INVALID_ARGUMENT',
      argument,
      message: `${argument}: expected an array, a typed array or a tensor, got ${describe(value)}`,
    });
  }
  const top = value as ArrayLike<unknown>;
  if (ArrayBuffer.isView(top) || top.length === 0 || !isArrayLike(top[0])) {
    for (let i = 0; i < top.length; i++) {
      if (isArrayLike(top[i])) raggedError(argument);
    }
    return { data: top, shape: [top.length] };
  }
  const inner = Array.from(top);
  const parts = inner.map((row) => {
    if (!isArrayLike(row)) raggedError(argument);
    return toDense(row, argument);
  });
  const first = parts[0].shape;
  const flat: unknown[] = [];
  for (const part of parts) {
    if (part.shape.length !== first.length || part.shape.some((d, i) => d !== first[i])) {
      raggedError(argument);
    }
    for (let i = 0; i < part.data.length; i++) flat.push(part.data[i]);
  }
  return { data: flat, shape: [top.length, ...first] };
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    (Array.isArray(value) || ArrayBuffer.isView(value))
  );
}

function raggedError(argument: string): never {
  throw new EvalMetricsError({
    code: 'INVALID_ARGUMENT',
    argument,
    message: `${argument}: expected a rectangular array (every row the same length), got ragged rows`,
  });
}

function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * Converts 1-D labels (numbers or strings; a `[n, 1]` array or tensor is flattened) and checks
 * them: no NaN or infinite values, no fractional numbers, no mix of numbers and strings.
 */
export function toLabels(value: LabelInput, argument: string): Label[] {
  const { data, shape } = toDense(value, argument);
  if (shape.length > 2 || (shape.length === 2 && shape[1] !== 1)) {
    throw new EvalMetricsError({
      code: 'INVALID_ARGUMENT',
      argument,
      message: `${argument}: expected 1-D labels [n], got shape ${shapeText(shape)} (for scores or one-hot rows, take the argmax of the last axis first)`,
    });
  }
  const labels: Label[] = new Array(data.length);
  let kind: 'number' | 'string' | undefined;
  for (let i = 0; i < data.length; i++) {
    let v = data[i];
    if (typeof v === 'boolean') v = v ? 1 : 0;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) {
        throw new EvalMetricsError({
          code: 'INVALID_VALUE',
          argument,
          message: `${argument}: expected finite labels, got ${v} at index ${i}`,
        });
      }
      if (!Number.isInteger(v)) {
        throw new EvalMetricsError({
          code: 'INVALID_VALUE',
          argument,
          message: `${argument}: expected integer or string class labels, got ${v} at index ${i} (continuous values such as probabilities are not labels)`,
        });
      }
    } else if (typeof v !== 'string') {
      throw new EvalMetricsError({
        code: 'INVALID_VALUE',
        argument,
        message: `${argument}: expected integer or string class labels, got ${describe(v)} at index ${i}`,
      });
    }
    const k = typeof v === 'number' ? 'number' : 'string';
    if (kind === undefined) kind = k;
    else if (kind !== k) {
      throw new EvalMetricsError({
        code: 'INVALID_VALUE',
        argument,
        message: `${argument}: expected labels of one type, got a mix of numbers and strings`,
      });
    }
    labels[i] = v as Label;
  }
  return labels;
}

/** Converts a 1-D numeric input (a `[n, 1]` array or tensor is flattened), rejecting NaN. */
export function toNumbers(
  value: NumericInput,
  argument: string,
  { allowInfinite = false }: { allowInfinite?: boolean } = {},
): number[] {
  const { data, shape } = toDense(value, argument);
  if (shape.length > 2 || (shape.length === 2 && shape[1] !== 1)) {
    throw new EvalMetricsError({
      code: 'INVALID_ARGUMENT',
      argument,
      message: `${argument}: expected a 1-D array [n], got shape ${shapeText(shape)}`,
    });
  }
  return checkNumbers(data, argument, allowInfinite);
}

function checkNumbers(data: ArrayLike<unknown>, argument: string, allowInfinite = false): number[] {
  const out: number[] = new Array(data.length);
  for (let i = 0; i < data.length; i++) {
    let v = data[i];
    if (typeof v === 'boolean') v = v ? 1 : 0;
    if (typeof v !== 'number' || Number.isNaN(v) || (!allowInfinite && !Number.isFinite(v))) {
      throw new EvalMetricsError({
        code: 'INVALID_VALUE',
        argument,
        message: `${argument}: expected ${allowInfinite ? 'numbers' : 'finite numbers'}, got ${typeof v === 'number' ? v : describe(v)} at index ${i}`,
      });
    }
    out[i] = v;
  }
  return out;
}

/** Converts numbers of any rank to flat data and shape, rejecting NaN and infinities. */
export function toNumericDense(
  value: unknown,
  argument: string,
): { data: number[]; shape: number[] } {
  const { data, shape } = toDense(value, argument);
  return { data: checkNumbers(data, argument), shape };
}

/**
 * Converts a matrix `[rows, columns]`; a 1-D input becomes one column
 * (returned with `was1d: true`).
 */
export function toMatrix(
  value: MatrixInput,
  argument: string,
): { rows: number[][]; columns: number; was1d: boolean } {
  const { data, shape } = toDense(value, argument);
  const numbers = checkNumbers(data, argument);
  if (shape.length === 1) {
    return { rows: numbers.map((v) => [v]), columns: 1, was1d: true };
  }
  if (shape.length !== 2) {
    throw new EvalMetricsError({
      code: 'INVALID_ARGUMENT',
      argument,
      message: `${argument}: expected a 1-D or 2-D array, got shape ${shapeText(shape)}`,
    });
  }
  const [n, c] = shape;
  const rows: number[][] = new Array(n);
  for (let i = 0; i < n; i++) rows[i] = numbers.slice(i * c, (i + 1) * c);
  return { rows, columns: c, was1d: false };
}

/** Throws `LENGTH_MISMATCH` unless `a` and `b` have the same length. */
export function checkSameLength(
  a: { length: number },
  b: { length: number },
  nameA: string,
  nameB: string,
): void {
  if (a.length !== b.length) {
    throw new EvalMetricsError({
      code: 'LENGTH_MISMATCH',
      argument: nameB,
      message: `${nameB}: expected ${a.length} elements to match ${nameA}, got ${b.length}`,
    });
  }
}

/** Throws `EMPTY_INPUT` when `a` has no elements. */
export function checkNotEmpty(a: { length: number }, argument: string): void {
  if (a.length === 0) {
    throw new EvalMetricsError({
      code: 'EMPTY_INPUT',
      argument,
      message: `${argument}: expected at least one element, got an empty input`,
    });
  }
}

/** Reads an optional `sampleWeight` and checks that it pairs with `n` samples. */
export function toSampleWeight(
  sampleWeight: NumericInput | undefined,
  n: number,
): number[] | undefined {
  if (sampleWeight === undefined) return undefined;
  const w = toNumbers(sampleWeight, 'sampleWeight');
  checkSameLength({ length: n }, w, 'yTrue', 'sampleWeight');
  return w;
}
