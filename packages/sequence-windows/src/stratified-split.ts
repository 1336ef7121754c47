import { SequenceWindowsError } from './errors';
import { permutation, type Rng, rngFor, shuffleInPlace } from './mulberry32';
import { isTensorLike, resolveSplitSizes } from './split-sizes';
import type { SplitIndices } from './train-test-split';
import { checkArrayLike, describe, readOptions } from './validate';

/**
 * Class labels to stratify on: one label per sample (numbers, strings or booleans, a typed array
 * or a rank-1 tensor), or one row per sample (one-hot or multi-label rows, a rank-2 tensor),
 * where each distinct row is one class, as in scikit-learn.
 */
export type StratifyLabels =
  | ArrayLike<number | string | boolean>
  | readonly ArrayLike<number>[]
  | { shape: number[]; dataSync(): ArrayLike<number>; arraySync(): unknown };

/** Options for {@link stratifiedSplit}; names and defaults follow scikit-learn `train_test_split`. */
export interface StratifiedSplitOptions {
  /**
   * Test part: a fraction in (0, 1) (the count is rounded up, `ceil(testSize * n)`) or an integer
   * count. @default 0.25 when `trainSize` is also unset, else the complement of `trainSize`
   */
  testSize?: number;
  /**
   * Train part: a fraction in (0, 1) (rounded down) or an integer count.
   * @default the complement of `testSize`
   */
  trainSize?: number;
  /** Seed of the generator; the same seed and labels give the same split. @default undefined (random) */
  seed?: number;
}

function badLabel(argument: string, label: unknown, where: string, why: string): never {
  throw new SequenceWindowsError({
    code: 'INVALID_VALUE',
    argument,
    message: `${argument}: expected ${why}, got ${describe(label)} at ${where}`,
  });
}

/** Internal: checks one per-sample label: a string, a boolean or an integer (not NaN, not 1.5). */
function checkLabel(label: unknown, argument: string, i: number): string | number | boolean {
  if (typeof label === 'string' || typeof label === 'boolean') return label;
  if (typeof label === 'number') {
    if (Number.isInteger(label)) return label;
    badLabel(
      argument,
      label,
      `index ${i}`,
      Number.isNaN(label)
        ? 'a class label per sample (NaN is no class: drop or fill missing labels first)'
        : 'an integer, string or boolean class label per sample (a continuous target cannot be stratified on: bin it first)',
    );
  }
  throw new SequenceWindowsError({
    code: 'INVALID_ARGUMENT',
    argument,
    message: `${argument}: expected a number, string, boolean or row of numbers per sample, got ${describe(label)} at index ${i}`,
  });
}

/** Internal: one key per sample, so that equal labels (or equal label rows) share a key. */
export function labelKeys(labels: StratifyLabels, argument: string): (string | number | boolean)[] {
  let rows: unknown = labels;
  if (isTensorLike(labels)) {
    if (labels.shape.length === 1) {
      return Array.from(labels.dataSync(), (label, i) => checkLabel(label, argument, i));
    }
    if (labels.shape.length !== 2) {
      throw new SequenceWindowsError({
        code: 'SHAPE_MISMATCH',
        argument,
        message: `${argument}: expected a tensor of shape [samples] or [samples, classes], got [${labels.shape.join(', ')}]`,
      });
    }
    rows = labels.arraySync();
  }
  const list = Array.from(
    checkArrayLike<unknown>(rows, argument, 'an array, a typed array or a tensor of labels'),
  );
  let width: number | undefined;
  return list.map((label, i) => {
    if (typeof label !== 'object' || label === null || !('length' in label)) {
      return checkLabel(label, argument, i);
    }
    // A one-hot or multi-label row: the row is the class; every entry must be a finite number.
    const row = Array.from(label as ArrayLike<unknown>);
    if (width === undefined) width = row.length;
    else if (row.length !== width) {
      throw new SequenceWindowsError({
        code: 'SHAPE_MISMATCH',
        argument,
        message: `${argument}: expected every label row to have ${width} entries like the first, got ${row.length} at index ${i}`,
      });
    }
    row.forEach((v, j) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        badLabel(argument, v, `index ${i}, column ${j}`, 'finite numbers in every label row');
      }
    });
    return row.join(',');
  });
}

/**
 * Internal: splits `total` over classes in proportion to `weights`, each class between `lo[i]`
 * and `hi[i]`: floors first, then one more to the classes furthest below their ideal share
 * (ties broken at random), then back within the bounds while keeping the total.
 */
function allocate(
  weights: readonly number[],
  total: number,
  lo: readonly number[],
  hi: readonly number[],
  rng: Rng,
): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const ideal = weights.map((w) => (w / sum) * total);
  const tiebreak = weights.map(() => rng());
  const out = ideal.map((v, i) => Math.min(hi[i], Math.max(lo[i], Math.floor(v))));
  let diff = total - out.reduce((a, b) => a + b, 0);
  while (diff !== 0) {
    let best = -1;
    let bestGap = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < out.length; i++) {
      const movable = diff > 0 ? out[i] < hi[i] : out[i] > lo[i];
      if (!movable) continue;
      const gap = diff > 0 ? ideal[i] - out[i] : out[i] - ideal[i];
      if (gap > bestGap || (gap === bestGap && tiebreak[i] > tiebreak[best])) {
        best = i;
        bestGap = gap;
      }
    }
    // Callers check sum(lo) <= total <= sum(hi), so a movable class always exists.
    out[best] += diff > 0 ? 1 : -1;
    diff += diff > 0 ? -1 : 1;
  }
  return out;
}

/** Internal: the stratified split of labelled samples, given resolved part sizes. */
export function stratifiedIndices(
  keys: readonly (string | number | boolean)[],
  nTrain: number,
  nTest: number,
  rng: Rng,
): SplitIndices {
  const byClass = new Map<string | number | boolean, number[]>();
  keys.forEach((key, i) => {
    const members = byClass.get(key);
    if (members) members.push(i);
    else byClass.set(key, [i]);
  });
  const classes = [...byClass.values()];
  const counts = classes.map((members) => members.length);
  const shared = counts.filter((c) => c >= 2).length;
  if (shared > nTest || shared > nTrain) {
    const part = shared > nTest ? 'testSize' : 'trainSize';
    throw new SequenceWindowsError({
      code: 'INVALID_ARGUMENT',
      argument: part,
      message: `${part}: expected room for one sample of each of the ${shared} classes with two or more members, got ${shared > nTest ? nTest : nTrain} ${part === 'testSize' ? 'test' : 'train'} samples`,
    });
  }
  const testRoom = counts.reduce((a, c) => a + (c >= 2 ? c - 1 : 0), 0);
  if (nTest > testRoom) {
    throw new SequenceWindowsError({
      code: 'INVALID_ARGUMENT',
      argument: 'testSize',
      message: `testSize: expected at most ${testRoom} test samples (classes of one member stay in the train part and every class keeps one train sample), got ${nTest}`,
    });
  }
  // Test part first: each class with >= 2 members gets 1..count-1 test samples; singletons go to train.
  const testCounts = allocate(
    counts,
    nTest,
    counts.map((c) => (c >= 2 ? 1 : 0)),
    counts.map((c) => (c >= 2 ? c - 1 : 0)),
    rng,
  );
  const rest = counts.map((c, i) => c - testCounts[i]);
  const restTotal = rest.reduce((a, b) => a + b, 0);
  const trainCounts =
    nTrain === restTotal
      ? rest
      : allocate(
          counts,
          nTrain,
          counts.map((c) => (c >= 2 ? 1 : 0)),
          rest,
          rng,
        );
  const trainIndices: number[] = [];
  const testIndices: number[] = [];
  classes.forEach((members, c) => {
    const order = permutation(members.length, rng);
    for (let k = 0; k < testCounts[c]; k++) testIndices.push(members[order[k]]);
    for (let k = testCounts[c]; k < testCounts[c] + trainCounts[c]; k++) {
      trainIndices.push(members[order[k]]);
    }
  });
  shuffleInPlace(trainIndices, rng);
  shuffleInPlace(testIndices, rng);
  return { trainIndices, testIndices };
}

/**
 * Splits sample indices into a train and a test part that keep each class's share, as
 * scikit-learn's `train_test_split(..., stratify=labels)`: sizes follow its rules (a fractional
 * `testSize` is rounded up), per-class counts are the closest integers to the proportional share,
 * and every class with two or more members has at least one sample on each side (scikit-learn can
 * leave a rare class out of one part; here a class of one member goes to the train part instead of
 * raising). Both index lists come back in shuffled order.
 *
 * @example
 * ```ts
 * import { stratifiedSplit } from '@seqlearn/sequence-windows';
 * const labels = ['en', 'en', 'en', 'en', 'en', 'en', 'fr', 'fr', 'fr', 'de'];
 * const { trainIndices, testIndices } = stratifiedSplit(labels, { testSize: 0.3, seed: 1 });
 * console.log(testIndices.map((i) => labels[i]).sort()); // [ 'en', 'en', 'fr' ]
 * console.log(trainIndices.length); // 7
 * ```
 * @throws {SequenceWindowsError} `INVALID_ARGUMENT` for a size out of range or too small to hold
 * one sample of every class or labels that are not an array or tensor, `SHAPE_MISMATCH` for a
 * label tensor of rank > 2 or label rows of different lengths, `INVALID_VALUE` for a NaN or
 * fractional label (or a NaN in a label row), naming its index.
 */
export function stratifiedSplit(
  labels: StratifyLabels,
  options?: StratifiedSplitOptions,
): SplitIndices {
  const { testSize, trainSize, seed } = readOptions(options, '{ testSize, trainSize, seed }');
  const keys = labelKeys(labels, 'labels');
  const { nTrain, nTest } = resolveSplitSizes(keys.length, testSize, trainSize);
  return stratifiedIndices(keys, nTrain, nTest, rngFor(seed));
}
