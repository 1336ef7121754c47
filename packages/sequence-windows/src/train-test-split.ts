import { SequenceWindowsError } from './errors';
import { permutation, rngFor } from './mulberry32';
import { resolveSplitSizes, sampleCount } from './split-sizes';
import { labelKeys, type StratifyLabels, stratifiedIndices } from './stratified-split';
import { checkBoolean, checkSeed, readOptions } from './validate';

/** Indices of the samples in each part of a split. */
export interface SplitIndices {
  /** Indices of the training samples. */
  trainIndices: number[];
  /** Indices of the test (or validation) samples. */
  testIndices: number[];
}

/** Options for {@link trainTestSplit}; names and defaults follow scikit-learn `train_test_split`. */
export interface TrainTestSplitOptions {
  /**
   * Test part: a fraction in (0, 1) (the count is rounded up, `ceil(testSize * n)`) or an integer
   * count. @default 0.25 when `trainSize` is also unset, else the complement of `trainSize`
   */
  testSize?: number;
  /**
   * Train part: a fraction in (0, 1) (rounded down, `floor(trainSize * n)`) or an integer count.
   * @default the complement of `testSize`
   */
  trainSize?: number;
  /** Seed of the generator; the same seed gives the same split. @default undefined (random) */
  seed?: number;
  /**
   * Shuffle before splitting. Without shuffling the first `nTrain` indices are the train part and
   * the next `nTest` the test part, in order. @default true
   */
  shuffle?: boolean;
  /**
   * Class labels (one per sample) to keep the class proportions in both parts; see
   * {@link stratifiedSplit}. Needs `shuffle: true`. @default undefined (no stratification)
   */
  stratify?: StratifyLabels;
}

/**
 * Splits `n` samples (a count, an array, or a tensor's first axis) into train and test indices
 * with scikit-learn's `train_test_split` rules: `testSize` defaults to 0.25, a fractional test size
 * is rounded up and a fractional train size down, an integer is a count; shuffled with a seeded
 * generator unless `shuffle: false`; stratified with `stratify`. Apply the indices with
 * `tf.gather(x, trainIndices)` or `trainIndices.map((i) => rows[i])`.
 *
 * @example
 * ```ts
 * import { trainTestSplit } from '@seqlearn/sequence-windows';
 * console.log(trainTestSplit(10, { testSize: 0.25, shuffle: false }));
 * // { trainIndices: [ 0, 1, 2, 3, 4, 5, 6 ], testIndices: [ 7, 8, 9 ] }   (ceil(2.5) = 3 test)
 * const { testIndices } = trainTestSplit(10, { testSize: 0.25, seed: 42 });
 * console.log(testIndices.length); // 3
 * ```
 * @throws {SequenceWindowsError} `INVALID_ARGUMENT` for a sample count `n` that is not an integer
 * in [0, 2^32 - 1] (or an array-like with such a length), a size out of range, an empty train part,
 * `stratify` with `shuffle: false`, `stratify` of another length than the samples, a non-boolean
 * `shuffle` or a bad `seed`; `INVALID_VALUE` for a NaN or fractional `stratify` label.
 */
export function trainTestSplit(
  n: number | ArrayLike<unknown> | { shape: number[] },
  options?: TrainTestSplitOptions,
): SplitIndices {
  const {
    testSize,
    trainSize,
    seed,
    shuffle = true,
    stratify,
  } = readOptions(options, '{ testSize, trainSize, seed, shuffle, stratify }');
  checkBoolean(shuffle, 'shuffle');
  checkSeed(seed);
  const nSamples = sampleCount(n, 'n');
  const { nTrain, nTest } = resolveSplitSizes(nSamples, testSize, trainSize);
  if (stratify !== undefined) {
    if (!shuffle) {
      throw new SequenceWindowsError({
        code: 'INVALID_ARGUMENT',
        argument: 'stratify',
        message:
          'stratify: expected shuffle: true (a stratified split shuffles), got shuffle: false',
      });
    }
    const keys = labelKeys(stratify, 'stratify');
    if (keys.length !== nSamples) {
      throw new SequenceWindowsError({
        code: 'INVALID_ARGUMENT',
        argument: 'stratify',
        message: `stratify: expected ${nSamples} labels, one per sample, got ${keys.length}`,
      });
    }
    return stratifiedIndices(keys, nTrain, nTest, rngFor(seed));
  }
  const order = shuffle
    ? permutation(nSamples, rngFor(seed))
    : Array.from({ length: nSamples }, (_, i) => i);
  if (shuffle) {
    // scikit-learn's ShuffleSplit: the test part first, then the train part, of one permutation.
    return {
      trainIndices: order.slice(nTest, nTest + nTrain),
      testIndices: order.slice(0, nTest),
    };
  }
  return { trainIndices: order.slice(0, nTrain), testIndices: order.slice(nTrain, nTrain + nTest) };
}
