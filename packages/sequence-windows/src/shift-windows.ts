import * as tf from '@tensorflow/tfjs';
import { SequenceWindowsError } from './errors';
import { type SeriesInput, toFiniteSeries, windowTooLong } from './series';
import { checkArrayLike, checkInteger, describe, readOptions } from './validate';

/** Options for {@link shiftWindows}. */
export interface ShiftWindowsOptions {
  /** Steps per input window. Required. */
  length: number;
  /** Steps between the starts of two consecutive windows. @default 1 */
  shift?: number;
  /**
   * How many steps the target window ends after the input window ends; at least 1, so that no
   * target is visible in its input. @default 1
   */
  targetShift?: number;
  /**
   * Steps per target: 1 for many-to-one (`y` of shape `[examples, targetFeatures]`), up to
   * `length` for many-to-many (`y` of shape `[examples, targetLength, targetFeatures]`, aligned
   * with the last `targetLength` input steps). @default 1
   */
  targetLength?: number;
  /** Indices of the features to predict. @default every feature */
  targetFeatures?: readonly number[];
}

/** Result of {@link shiftWindows}. */
export interface ShiftWindowsResult {
  /** Input windows, shape `[examples, length, features]`. */
  x: tf.Tensor3D;
  /** Targets: `[examples, targetFeatures]` when `targetLength` is 1, else `[examples, targetLength, targetFeatures]`. */
  y: tf.Tensor2D | tf.Tensor3D;
}

/**
 * Sliding windows over a series with targets taken from the same series, shifted into the future.
 * Example `i` reads input steps `[s, s + length)` with `s = i * shift`, and its target is the
 * `targetLength` steps ending `targetShift` steps after the input ends:
 * `[s + length + targetShift - targetLength, s + length + targetShift)`. So the number of
 * examples is
 *
 * `floor((steps - length - targetShift) / shift) + 1`
 *
 * (14 steps, length 7, shift 2, target shift 1: `floor(6 / 2) + 1 = 4`). With `targetLength: 1`
 * the target is the value `targetShift` steps after the window (many-to-one); with
 * `targetLength: length` it is the whole window moved `targetShift` steps on (many-to-many).
 * Target step `k` is always `targetShift` steps after input step `length - targetLength + k`, so
 * no target is ever inside the input it is predicted from. Dispose `x` and `y` when done.
 *
 * @example
 * ```ts
 * import { shiftWindows } from '@seqlearn/sequence-windows';
 * const series = Array.from({ length: 14 }, (_, i) => i);
 * const { x, y } = shiftWindows(series, { length: 7, shift: 2, targetShift: 1 });
 * console.log(x.shape, y.shape); // [ 4, 7, 1 ] [ 4, 1 ]
 * console.log(y.arraySync()); // [ [ 7 ], [ 9 ], [ 11 ], [ 13 ] ]
 * ```
 * @throws {SequenceWindowsError} `INVALID_ARGUMENT` for a non-integer or out-of-range `length`,
 * `shift`, `targetShift`, `targetLength` or feature index; `WINDOW_TOO_LONG` when
 * `length + targetShift` exceeds the series; `SHAPE_MISMATCH` for ragged rows; `INVALID_VALUE`
 * for a NaN, infinite or beyond-float32 value in the series (naming its step).
 */
export function shiftWindows(
  series: SeriesInput,
  options: ShiftWindowsOptions,
): ShiftWindowsResult {
  const {
    length,
    shift = 1,
    targetShift = 1,
    targetLength = 1,
    targetFeatures,
  } = readOptions(options, '{ length, shift, targetShift, targetLength, targetFeatures }', true);
  checkInteger(length, 'length', 1);
  checkInteger(shift, 'shift', 1);
  checkInteger(targetShift, 'targetShift', 1);
  checkInteger(targetLength, 'targetLength', 1);
  if (targetLength > length) {
    throw new SequenceWindowsError({
      code: 'INVALID_ARGUMENT',
      argument: 'targetLength',
      message: `targetLength: expected at most length (${length}), got ${targetLength}`,
    });
  }
  const { values, steps, features } = toFiniteSeries(series, 'series');
  const columns =
    targetFeatures === undefined
      ? Array.from({ length: features }, (_, f) => f)
      : Array.from(
          checkArrayLike<number>(targetFeatures, 'targetFeatures', 'an array of feature indices'),
        );
  columns.forEach((f) => {
    if (!Number.isInteger(f) || f < 0 || f >= features) {
      throw new SequenceWindowsError({
        code: 'INVALID_ARGUMENT',
        argument: 'targetFeatures',
        message: `targetFeatures: expected feature indices in [0, ${features - 1}], got ${describe(f)}`,
      });
    }
  });
  if (columns.length === 0) {
    throw new SequenceWindowsError({
      code: 'INVALID_ARGUMENT',
      argument: 'targetFeatures',
      message: 'targetFeatures: expected at least one feature index, got an empty list',
    });
  }
  const span = length + targetShift;
  if (span > steps) windowTooLong('length', span, steps, 'a window plus its target shift');
  const examples = Math.floor((steps - span) / shift) + 1;
  const x = new Float32Array(examples * length * features);
  const nt = columns.length;
  const y = new Float32Array(examples * targetLength * nt);
  for (let i = 0; i < examples; i++) {
    const s = i * shift;
    x.set(values.subarray(s * features, (s + length) * features), i * length * features);
    const t0 = s + span - targetLength;
    for (let k = 0; k < targetLength; k++) {
      for (let c = 0; c < nt; c++) {
        y[(i * targetLength + k) * nt + c] = values[(t0 + k) * features + columns[c]];
      }
    }
  }
  return {
    x: tf.tensor3d(x, [examples, length, features]),
    y:
      targetLength === 1
        ? tf.tensor2d(y, [examples, nt])
        : tf.tensor3d(y, [examples, targetLength, nt]),
  };
}
