import { SequenceWindowsError } from './errors';
import { permutation, rngFor } from './mulberry32';
import { sampleCount } from './split-sizes';
import type { SplitIndices } from './train-test-split';
import { checkBoolean, checkInteger, checkSeed, readOptions } from './validate';

/** Options for {@link kFold}; names and defaults follow scikit-learn `KFold`. */
export interface KFoldOptions {
  /** Number of folds, at least 2. @default 5 */
  nSplits?: number;
  /** Shuffle the samples before cutting the folds. @default false */
  shuffle?: boolean;
  /** Seed of the shuffle; only allowed with `shuffle: true`, as in scikit-learn. @default undefined (random) */
  seed?: number;
}

/**
 * K-fold cross-validation indices with scikit-learn `KFold` semantics: `n` samples (a count, an
 * array, or a tensor's first axis) are cut into `nSplits` consecutive folds, the first
 * `n % nSplits` of them one sample larger; each fold is the test part once, the rest the train
 * part. Both index lists of a fold come back sorted, as scikit-learn returns them.
 *
 * @example
 * ```ts
 * import { kFold } from '@seqlearn/sequence-windows';
 * for (const { trainIndices, testIndices } of kFold(5, { nSplits: 3 })) {
 *   console.log(testIndices, trainIndices);
 * }
 * // [ 0, 1 ] [ 2, 3, 4 ]
 * // [ 2, 3 ] [ 0, 1, 4 ]
 * // [ 4 ] [ 0, 1, 2, 3 ]
 * ```
 * @throws {SequenceWindowsError} `INVALID_ARGUMENT` when `n` is not a count in [0, 2^32 - 1], an
 * array-like or a tensor, when `nSplits` is not an integer >= 2 or exceeds the number of samples,
 * or when `seed` is given without `shuffle`.
 */
export function kFold(
  n: number | ArrayLike<unknown> | { shape: number[] },
  options?: KFoldOptions,
): SplitIndices[] {
  const { nSplits = 5, shuffle = false, seed } = readOptions(options, '{ nSplits, shuffle, seed }');
  checkBoolean(shuffle, 'shuffle');
  checkSeed(seed);
  checkInteger(nSplits, 'nSplits', 2);
  const nSamples = sampleCount(n, 'n');
  if (nSplits > nSamples) {
    throw new SequenceWindowsError({
      code: 'INVALID_ARGUMENT',
      argument: 'nSplits',
      message: `nSplits: expected at most the number of samples (${nSamples}), got ${nSplits}`,
    });
  }
  if (!shuffle && seed !== undefined) {
    throw new SequenceWindowsError({
      code: 'INVALID_ARGUMENT',
      argument: 'seed',
      message: 'seed: a seed has no effect without shuffle: true (scikit-learn raises here too)',
    });
  }
  const order = shuffle
    ? permutation(nSamples, rngFor(seed))
    : Array.from({ length: nSamples }, (_, i) => i);
  const base = Math.floor(nSamples / nSplits);
  const extra = nSamples % nSplits;
  const folds: SplitIndices[] = [];
  let start = 0;
  for (let k = 0; k < nSplits; k++) {
    const size = base + (k < extra ? 1 : 0);
    const inTest = new Uint8Array(nSamples);
    for (let j = start; j < start + size; j++) inTest[order[j]] = 1;
    const trainIndices: number[] = [];
    const testIndices: number[] = [];
    for (let i = 0; i < nSamples; i++) (inTest[i] ? testIndices : trainIndices).push(i);
    folds.push({ trainIndices, testIndices });
    start += size;
  }
  return folds;
}
