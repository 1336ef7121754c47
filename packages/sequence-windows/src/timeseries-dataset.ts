import * as tf from '@tensorflow/tfjs';
import { SequenceWindowsError } from './errors';
import { rngFor, shuffleInPlace } from './mulberry32';
import { checkFinite, type SeriesInput, toSeries, windowTooLong } from './series';
import { checkBoolean, checkInteger, checkSeed, readOptions } from './validate';

/** Options for {@link timeseriesDataset}; names and defaults follow Keras `timeseries_dataset_from_array`. */
export interface TimeseriesDatasetOptions {
  /** Steps per output sequence. Required. */
  sequenceLength: number;
  /** Period between the starts of two consecutive sequences. @default 1 */
  sequenceStride?: number;
  /** Period between two steps within a sequence (2 takes every other step). @default 1 */
  samplingRate?: number;
  /** Sequences per batch; the last batch may be smaller. @default 128 */
  batchSize?: number;
  /** Shuffle the sequences; each pass over the dataset draws a new order from the seeded stream. @default false */
  shuffle?: boolean;
  /** Seed of the shuffle. @default undefined (random) */
  seed?: number;
  /** First step of `data` to use. @default 0 */
  startIndex?: number;
  /** Step of `data` to stop before (exclusive). @default data length */
  endIndex?: number;
}

/** One batch of {@link timeseriesDataset} with targets, as `model.fitDataset` expects. */
export type TimeseriesBatch = {
  /** Sequences, shape `[batch, sequenceLength, features]`. */
  xs: tf.Tensor3D;
  /** Targets: `targets[startIndex + i]` for the sequence starting at `startIndex + i`; shape `[batch]` or `[batch, k]`. */
  ys: tf.Tensor;
};

/** Internal: the start offsets (relative to `startIndex`) of every sequence, in Keras' order. */
function startPositions(
  targetSteps: number | undefined,
  o: Required<Omit<TimeseriesDatasetOptions, 'seed' | 'shuffle' | 'batchSize'>>,
): number[] {
  let numSeqs = o.endIndex - o.startIndex - (o.sequenceLength - 1) * o.samplingRate;
  if (targetSteps !== undefined) numSeqs = Math.min(numSeqs, targetSteps - o.startIndex);
  if (numSeqs <= 0) {
    windowTooLong(
      'sequenceLength',
      (o.sequenceLength - 1) * o.samplingRate + 1,
      targetSteps === undefined
        ? o.endIndex - o.startIndex
        : Math.min(o.endIndex, targetSteps) - o.startIndex,
      'one sequence between startIndex and endIndex',
    );
  }
  const out: number[] = [];
  for (let p = 0; p < numSeqs; p += o.sequenceStride) out.push(p);
  return out;
}

/**
 * Sliding windows over a series as a lazy `tf.data.Dataset` of batches, with the semantics of
 * Keras' `timeseries_dataset_from_array`: sequence `i` takes the steps
 * `startIndex + p, startIndex + p + samplingRate, ...` (`sequenceLength` of them) for start
 * offsets `p = 0, sequenceStride, 2 * sequenceStride, ...` below
 * `endIndex - startIndex - (sequenceLength - 1) * samplingRate` (and below the number of
 * targets), and its target is `targets[startIndex + p]`. Pass `targets: null` for inputs only.
 *
 * Batches are built one at a time while the dataset is iterated, so memory holds the series and
 * one batch, never every window. Each element's tensors belong to the consumer
 * (`model.fitDataset` disposes them). Differences from Keras: a `[steps]` series gives
 * `[batch, sequenceLength, 1]` (Keras gives `[batch, sequenceLength]`), so RNN layers take it as
 * is; with `shuffle` the whole order is reshuffled on each pass instead of Keras' local buffer;
 * `endIndex` may equal the data length; no sequence at all is an error, not an empty dataset.
 *
 * @example
 * ```ts
 * import { timeseriesDataset } from '@seqlearn/sequence-windows';
 * const data = Array.from({ length: 20 }, (_, i) => i + 1);
 * // Keras example 2: the past 10 steps predict the next one.
 * const ds = timeseriesDataset(data.slice(0, 10), data.slice(10), { sequenceLength: 10 });
 * await ds.forEachAsync(({ xs, ys }) => {
 *   console.log(xs.shape, ys.arraySync()); // [ 1, 10, 1 ] [ 11 ]
 * });
 * ```
 * @throws {SequenceWindowsError} `INVALID_ARGUMENT` for a non-integer or out-of-range option,
 * `WINDOW_TOO_LONG` when no whole sequence fits, `SHAPE_MISMATCH` for ragged rows,
 * `INVALID_VALUE` for a NaN, infinite or beyond-float32 value among the steps used (data steps
 * `[startIndex, endIndex)` and the targets read), naming its step.
 */
export function timeseriesDataset(
  data: SeriesInput,
  targets: null,
  options: TimeseriesDatasetOptions,
): tf.data.Dataset<tf.Tensor3D>;
export function timeseriesDataset(
  data: SeriesInput,
  targets: SeriesInput,
  options: TimeseriesDatasetOptions,
): tf.data.Dataset<TimeseriesBatch>;
export function timeseriesDataset(
  data: SeriesInput,
  targets: SeriesInput | null,
  options: TimeseriesDatasetOptions,
): tf.data.Dataset<tf.Tensor3D> | tf.data.Dataset<TimeseriesBatch> {
  const {
    sequenceLength,
    sequenceStride = 1,
    samplingRate = 1,
    batchSize = 128,
    shuffle = false,
    seed,
    startIndex = 0,
    endIndex,
  } = readOptions(options, '{ sequenceLength, ... }', true);
  checkBoolean(shuffle, 'shuffle');
  checkSeed(seed);
  checkInteger(sequenceLength, 'sequenceLength', 1);
  checkInteger(sequenceStride, 'sequenceStride', 1);
  checkInteger(samplingRate, 'samplingRate', 1);
  checkInteger(batchSize, 'batchSize', 1);
  checkInteger(startIndex, 'startIndex', 0);
  const series = toSeries(data, 'data');
  const target = targets === null ? undefined : toSeries(targets, 'targets');
  const end = endIndex ?? series.steps;
  checkInteger(end, 'endIndex', 1);
  if (end > series.steps || end <= startIndex) {
    throw new SequenceWindowsError({
      code: 'INVALID_ARGUMENT',
      argument: end > series.steps ? 'endIndex' : 'startIndex',
      message: `startIndex, endIndex: expected 0 <= startIndex < endIndex <= ${series.steps} (the data length), got ${startIndex} and ${end}`,
    });
  }
  const starts = startPositions(target?.steps, {
    sequenceLength,
    sequenceStride,
    samplingRate,
    startIndex,
    endIndex: end,
  });
  // Only the steps that go into a batch must be finite: NaN outside [startIndex, endIndex) is allowed.
  checkFinite(series, 'data', startIndex, end);
  if (target)
    checkFinite(target, 'targets', startIndex, startIndex + starts[starts.length - 1] + 1);
  const rng = shuffle ? rngFor(seed) : undefined;
  const { values, features } = series;
  const rowSize = sequenceLength * features;

  function* batches(): Generator<tf.Tensor3D | TimeseriesBatch> {
    const order = rng ? shuffleInPlace([...starts], rng) : starts;
    for (let b = 0; b < order.length; b += batchSize) {
      const rows = order.slice(b, b + batchSize);
      const xs = new Float32Array(rows.length * rowSize);
      rows.forEach((p, r) => {
        for (let t = 0; t < sequenceLength; t++) {
          const step = startIndex + p + t * samplingRate;
          xs.set(
            values.subarray(step * features, (step + 1) * features),
            r * rowSize + t * features,
          );
        }
      });
      const x = tf.tensor3d(xs, [rows.length, sequenceLength, features]);
      if (!target) {
        yield x;
        continue;
      }
      const k = target.features;
      const ys = new Float32Array(rows.length * k);
      rows.forEach((p, r) => {
        const step = startIndex + p;
        ys.set(target.values.subarray(step * k, (step + 1) * k), r * k);
      });
      yield {
        xs: x,
        ys: target.rank === 1 ? tf.tensor1d(ys) : tf.tensor2d(ys, [rows.length, k]),
      };
    }
  }

  const dataset = tf.data.generator(batches as () => Iterator<tf.Tensor3D | TimeseriesBatch>);
  // A generator dataset has an unknown size; this one's is known (a plain field at run time).
  (dataset as { size: number }).size = Math.ceil(starts.length / batchSize);
  return dataset as tf.data.Dataset<tf.Tensor3D> | tf.data.Dataset<TimeseriesBatch>;
}
