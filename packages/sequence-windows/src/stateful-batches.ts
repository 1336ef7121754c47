import * as tf from '@tensorflow/tfjs';
import { type SeriesInput, toFiniteSeries, windowTooLong } from './series';
import { checkInteger, readOptions } from './validate';

/** Options for {@link statefulBatches}. */
export interface StatefulBatchesOptions {
  /** Rows per batch: the number of parallel streams a stateful RNN carries state for. Required. */
  batchSize: number;
  /** Steps per row of a batch. Required. */
  length: number;
  /** Steps from each input step to its target (many-to-many `y`). @default 1 */
  targetShift?: number;
}

/** Result of {@link statefulBatches}. */
export interface StatefulBatchesResult {
  /** Inputs, shape `[batches * batchSize, length, features]`, batch after batch. */
  x: tf.Tensor3D;
  /** Targets, `x` moved `targetShift` steps on: shape `[batches * batchSize, length, features]`. */
  y: tf.Tensor3D;
  /** Number of batches. */
  batches: number;
  /** Steps of the series not used as input (the ends of the streams and the last `targetShift` steps). */
  dropped: number;
}

/**
 * Arranges one long series for a stateful RNN: the series (less its last `targetShift` steps) is
 * cut into `batchSize` contiguous streams of `floor((steps - targetShift) / batchSize)` steps,
 * and batch `b` holds, in row `i`, steps `[b * length, (b + 1) * length)` of stream `i`. So row `i`
 * of every batch continues row `i` of the previous batch, which is what a stateful layer's
 * carried-over state assumes. Train with `model.fit(x, y, { batchSize, shuffle: false })` and
 * reset the states between epochs. Dispose `x` and `y` when done.
 *
 * @example
 * ```ts
 * import { statefulBatches } from '@seqlearn/sequence-windows';
 * const series = Array.from({ length: 13 }, (_, i) => i);
 * const { x, batches } = statefulBatches(series, { batchSize: 2, length: 3 });
 * console.log(batches, x.squeeze([2]).arraySync());
 * // 2 [ [ 0, 1, 2 ], [ 6, 7, 8 ], [ 3, 4, 5 ], [ 9, 10, 11 ] ]
 * //   (batch 0 = rows 0-1, batch 1 = rows 2-3; row 2 continues row 0, row 3 continues row 1)
 * ```
 * @throws {SequenceWindowsError} `INVALID_ARGUMENT` for a non-integer or non-positive option,
 * `WINDOW_TOO_LONG` when the series cannot fill one batch, `SHAPE_MISMATCH` for ragged rows,
 * `INVALID_VALUE` for a NaN, infinite or beyond-float32 value in the series (naming its step).
 */
export function statefulBatches(
  series: SeriesInput,
  options: StatefulBatchesOptions,
): StatefulBatchesResult {
  const {
    batchSize,
    length,
    targetShift = 1,
  } = readOptions(options, '{ batchSize, length, targetShift }', true);
  checkInteger(batchSize, 'batchSize', 1);
  checkInteger(length, 'length', 1);
  checkInteger(targetShift, 'targetShift', 1);
  const { values, steps, features } = toFiniteSeries(series, 'series');
  const streamSteps = Math.floor((steps - targetShift) / batchSize);
  const batches = Math.floor(streamSteps / length);
  if (batches < 1) {
    windowTooLong(
      'length',
      batchSize * length + targetShift,
      steps,
      'batchSize rows of length steps plus the target shift',
    );
  }
  const rows = batches * batchSize;
  const rowSize = length * features;
  const x = new Float32Array(rows * rowSize);
  const y = new Float32Array(rows * rowSize);
  for (let b = 0; b < batches; b++) {
    for (let i = 0; i < batchSize; i++) {
      const s = i * streamSteps + b * length;
      const r = b * batchSize + i;
      x.set(values.subarray(s * features, (s + length) * features), r * rowSize);
      y.set(
        values.subarray((s + targetShift) * features, (s + targetShift + length) * features),
        r * rowSize,
      );
    }
  }
  return {
    x: tf.tensor3d(x, [rows, length, features]),
    y: tf.tensor3d(y, [rows, length, features]),
    batches,
    dropped: steps - targetShift - rows * length,
  };
}
