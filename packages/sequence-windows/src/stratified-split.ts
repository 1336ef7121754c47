import { SequenceWindowsError } from './errors';
import { permutation, type Rng, rngFor, shuffleInPlace } from './mulberry32';
import { isTensorLike, resolveSplitSizes } from './split-sizes';
import type { SplitIndices } from './train-test-split';
import { describe } from './validate';

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

/** Internal: one key per sample, so that equal labels (or equal label rows) share a key. */
export function labelKeys(labels: StratifyLabels, argument: string): (string | number | boolean)[] {
  let rows: unknown = labels;
  if (isTensorLike(labels)) {
    if (labels.shape.length === 1) return Array.from(labels.dataSync());
    if (labels.shape.length !== 2) {
      throw new SequenceWindowsError({
        code: 'SHAPE_MISMATCH',
        argument,
        message: `${argument}: expected a tensor of shape [samples] or [samples, classes], got [${labels.shape.join(', ')}]`,
      });
    }
    rows = labels.arraySync();
  }
  const list = Array.from(rows as ArrayLike<unknown>);
  return list.map((label, i) => {
    if (typeof label === 'number' || typeof label === 'string' || typeof label === 'boolean') {
      return label;
    }
    if (typeof label === 'object' && label !== null && 'length' in label) {
      return Array.from(label as ArrayLike<number>).join(',');
    }
    throw new SequenceWindowsError({
      code: 'INVALID_ARGUMENT',
      argument,
      message: `${argument}: expected a number, string, boolean or row of numbers per sample, got ${describe(label)} at index ${i}`,
    });
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
 * one sample of every class, `SHAPE_MISMATCH` for a label tensor of rank > 2.
 */
export function stratifiedSplit(
  labels: StratifyLabels,
  { testSize, trainSize, seed }: StratifiedSplitOptions = {},
): SplitIndices {
  const keys = labelKeys(labels, 'labels');
  const { nTrain, nTest } = resolveSplitSizes(keys.length, testSize, trainSize);
  return stratifiedIndices(keys, nTrain, nTest, rngFor(seed));
}
