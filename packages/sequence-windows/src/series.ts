import type * as tf from '@tensorflow/tfjs';
import { SequenceWindowsError } from './errors';
import { isTensorLike } from './split-sizes';
import { describe } from './validate';

/**
 * A series of `steps` values, or of `steps` rows of `features` values: a plain array
 * (`number[]` or `number[][]`), a typed array (one feature), or a tensor of shape `[steps]` or
 * `[steps, features]`.
 */
export type SeriesInput = ArrayLike<number> | readonly ArrayLike<number>[] | tf.Tensor;

/** Internal: a series as one row-major buffer. */
export interface Series {
  values: Float32Array;
  steps: number;
  features: number;
  /** 1 for a `[steps]` input, 2 for `[steps, features]`. */
  rank: 1 | 2;
  /** The input value at flat index `i`, before its conversion to float32 (for error messages). */
  original(i: number): unknown;
}

/** The largest finite float32, `(2 - 2^-23) * 2^127`. */
export const FLOAT32_MAX = 3.4028234663852886e38;

function badRow(argument: string, i: number, row: unknown): never {
  throw new SequenceWindowsError({
    code: 'SHAPE_MISMATCH',
    argument,
    message: `${argument}: expected a number or a row of numbers at every step, got ${describe(row)} at step ${i}`,
  });
}

/** Internal: converts any {@link SeriesInput} to a {@link Series}, naming `argument` in errors. */
export function toSeries(input: SeriesInput, argument: string): Series {
  if (isTensorLike(input)) {
    const shape = input.shape;
    if (shape.length !== 1 && shape.length !== 2) {
      throw new SequenceWindowsError({
        code: 'SHAPE_MISMATCH',
        argument,
        message: `${argument}: expected a tensor of shape [steps] or [steps, features], got [${shape.join(', ')}]`,
      });
    }
    const data = input.dataSync();
    return {
      values: Float32Array.from(data),
      steps: shape[0],
      features: shape.length === 2 ? shape[1] : 1,
      rank: shape.length === 2 ? 2 : 1,
      original: (i) => data[i],
    };
  }
  if (typeof input !== 'object' || input === null || typeof input.length !== 'number') {
    throw new SequenceWindowsError({
      code: 'INVALID_ARGUMENT',
      argument,
      message: `${argument}: expected an array, a typed array or a tensor, got ${describe(input)}`,
    });
  }
  const steps = input.length;
  if (ArrayBuffer.isView(input) || steps === 0 || typeof input[0] === 'number') {
    const flat = input as ArrayLike<number>;
    const values = Float32Array.from(flat);
    if (!ArrayBuffer.isView(input)) {
      for (let i = 0; i < steps; i++) {
        if (typeof input[i] !== 'number') badRow(argument, i, input[i]);
      }
    }
    return { values, steps, features: 1, rank: 1, original: (i) => flat[i] };
  }
  const rows = input as readonly ArrayLike<number>[];
  const first = rows[0];
  if (typeof first !== 'object' || first === null || typeof first.length !== 'number') {
    badRow(argument, 0, first);
  }
  const features = first.length;
  const values = new Float32Array(steps * features);
  for (let i = 0; i < steps; i++) {
    const row = rows[i];
    if (typeof row !== 'object' || row === null || typeof row.length !== 'number') {
      badRow(argument, i, row);
    }
    if (row.length !== features) {
      throw new SequenceWindowsError({
        code: 'SHAPE_MISMATCH',
        argument,
        message: `${argument}: expected every row to have ${features} features like row 0, got ${row.length} in row ${i}`,
      });
    }
    for (let f = 0; f < features; f++) {
      const v = row[f];
      if (typeof v !== 'number') badRow(argument, i, row);
      values[i * features + f] = v;
    }
  }
  return {
    values,
    steps,
    features,
    rank: 2,
    original: (i) => rows[Math.floor(i / features)][i % features],
  };
}

/**
 * Internal: throws `INVALID_VALUE` for the first value in steps `[from, to)` of `series` that is
 * NaN, ±Infinity or too large for float32 (it became ±Infinity in the float32 buffer), naming
 * its step (and feature).
 */
export function checkFinite(
  series: Series,
  argument: string,
  from = 0,
  to: number = series.steps,
): void {
  const { values, features, rank } = series;
  const end = to * features;
  for (let i = from * features; i < end; i++) {
    if (Number.isFinite(values[i])) continue;
    const step = Math.floor(i / features);
    const where = rank === 2 ? `step ${step}, feature ${i % features}` : `step ${step}`;
    const original = series.original(i);
    const hint =
      typeof original === 'number' && Number.isNaN(original)
        ? ' (NaN is not a value here: fill or drop missing values before windowing)'
        : typeof original === 'number' && Number.isFinite(original)
          ? ` (beyond the float32 range of ±${FLOAT32_MAX}: rescale the series first)`
          : '';
    throw new SequenceWindowsError({
      code: 'INVALID_VALUE',
      argument,
      message: `${argument}: expected finite values within float32 range (|x| <= ${FLOAT32_MAX}), got ${describe(original)} at ${where}${hint}`,
    });
  }
}

/** Internal: {@link toSeries}, then {@link checkFinite} over every step. */
export function toFiniteSeries(input: SeriesInput, argument: string): Series {
  const series = toSeries(input, argument);
  checkFinite(series, argument);
  return series;
}

/** Internal: throws `WINDOW_TOO_LONG` with the sizes involved. */
export function windowTooLong(
  argument: string,
  needed: number,
  steps: number,
  what: string,
): never {
  throw new SequenceWindowsError({
    code: 'WINDOW_TOO_LONG',
    argument,
    message: `${argument}: expected ${what} (${needed} steps) to fit in the series, got a series of ${steps} steps`,
  });
}
