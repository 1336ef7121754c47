import * as tf from '@tensorflow/tfjs';
import { type SeriesInput, toFiniteSeries, windowTooLong } from './series';
import { checkInteger, readOptions } from './validate';

/** Options for {@link reshapeWindows}. */
export interface ReshapeWindowsOptions {
  /** Steps per window. Required. */
  length: number;
}

/** Result of {@link reshapeWindows}. */
export interface ReshapeWindowsResult {
  /** Non-overlapping windows, shape `[floor(steps / length), length, features]`. */
  windows: tf.Tensor3D;
  /** How many trailing steps did not fill a whole window and were left out (`steps % length`). */
  dropped: number;
}

/**
 * Cuts a `[steps]` or `[steps, features]` series into consecutive, non-overlapping windows of
 * `length` steps (a reshape to `[examples, length, features]`); the trailing `steps % length`
 * steps are dropped and counted in `dropped`. A `[steps]` series gives one feature. Dispose
 * `windows` when done.
 *
 * @example
 * ```ts
 * import { reshapeWindows } from '@seqlearn/sequence-windows';
 * const { windows, dropped } = reshapeWindows([0, 1, 2, 3, 4, 5, 6], { length: 3 });
 * console.log(windows.shape, dropped); // [ 2, 3, 1 ] 1
 * console.log(windows.squeeze([2]).arraySync()); // [ [ 0, 1, 2 ], [ 3, 4, 5 ] ]
 * ```
 * @throws {SequenceWindowsError} `INVALID_ARGUMENT` when `length` is not a positive integer,
 * `WINDOW_TOO_LONG` when `length` is longer than the series, `SHAPE_MISMATCH` for ragged rows,
 * `INVALID_VALUE` for a NaN, infinite or beyond-float32 value in the series (naming its step).
 */
export function reshapeWindows(
  series: SeriesInput,
  options: ReshapeWindowsOptions,
): ReshapeWindowsResult {
  const { length } = readOptions(options, '{ length }', true);
  checkInteger(length, 'length', 1);
  const { values, steps, features } = toFiniteSeries(series, 'series');
  if (length > steps) windowTooLong('length', length, steps, 'one window');
  const examples = Math.floor(steps / length);
  const used = values.subarray(0, examples * length * features);
  return {
    windows: tf.tensor3d(used, [examples, length, features]),
    dropped: steps - examples * length,
  };
}
