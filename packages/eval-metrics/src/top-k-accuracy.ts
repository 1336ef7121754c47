import { EvalMetricsError } from './errors';
import { checkOptions } from './options';
import { scoreClasses } from './score-classes';
import type { LabelInput, MatrixInput, NumericInput } from './tensor-like';
import { checkNotEmpty, checkSameLength, toLabels, toMatrix, toSampleWeight } from './to-array';
import { warnUndefinedMetric } from './warn';
import { weightedSum } from './weighted-sum';

/** Options for {@link topKAccuracy}; names and defaults follow scikit-learn `top_k_accuracy_score`. */
export interface TopKAccuracyOptions {
  /** Number of top-scored classes in which the true class must appear. @default 2 */
  k?: number;
  /** Return the fraction of hits; `false` returns their (weighted) count. @default true */
  normalize?: boolean;
  /** Weight of each sample. @default every sample weighs 1 */
  sampleWeight?: NumericInput;
  /** The class of each score column, sorted. @default the sorted labels of `yTrue` */
  labels?: LabelInput;
}

/**
 * Fraction of samples whose true class is among the `k` highest scores, as scikit-learn's
 * `sklearn.metrics.top_k_accuracy_score` (ties broken as its stable sort does: the later column
 * ranks first). For two classes, `yScore` may be 1-D (score of the greater label); a `[n, 2]`
 * matrix is accepted as well (scikit-learn rejects it).
 * @param yScore scores or probabilities `[n, classes]`, e.g. `model.predict(x)`
 * @example
 * ```ts
 * import { topKAccuracy } from '@seqlearn/eval-metrics';
 * const yScore = [[0.5, 0.2, 0.2], [0.3, 0.4, 0.2], [0.2, 0.4, 0.3], [0.7, 0.2, 0.1]];
 * console.log(topKAccuracy([0, 1, 2, 2], yScore, { k: 2 })); // 0.75
 * ```
 * @throws {EvalMetricsError} `INVALID_ARGUMENT` (bad `k`, score columns not matching the classes),
 * `LENGTH_MISMATCH`, `EMPTY_INPUT`, `INVALID_VALUE`, `UNKNOWN_LABEL`.
 * `INVALID_ARGUMENT` (argument `options`) for options that are not an object.
 */
export function topKAccuracy(
  yTrue: LabelInput,
  yScore: MatrixInput,
  options: TopKAccuracyOptions = {},
): number {
  checkOptions(options);
  const { k = 2, normalize = true, sampleWeight, labels } = options;
  if (!Number.isInteger(k) || k < 1) {
    throw new EvalMetricsError({
      code: 'INVALID_ARGUMENT',
      argument: 'k',
      message: `k: expected a positive integer, got ${k}`,
    });
  }
  const truth = toLabels(yTrue, 'yTrue');
  checkNotEmpty(truth, 'yTrue');
  const scores = toMatrix(yScore, 'yScore');
  checkSameLength(truth, scores.rows, 'yTrue', 'yScore');
  const weights = toSampleWeight(sampleWeight, truth.length);
  const columns = scores.was1d ? 2 : scores.columns;
  const { classes, index } = scoreClasses(truth, labels, columns);
  if (k >= classes.length) {
    warnUndefinedMetric(
      `'k' (${k}) greater than or equal to 'n_classes' (${classes.length}) will result in a perfect score and is therefore meaningless.`,
    );
  }
  let hits: number[];
  if (scores.was1d) {
    const flat = scores.rows.map((r) => r[0]);
    if (k === 1) {
      const threshold = flat.every((v) => v >= 0 && v <= 1) ? 0.5 : 0;
      hits = flat.map((v, i) => ((v > threshold ? 1 : 0) === index[i] ? 1 : 0));
    } else {
      hits = flat.map(() => 1);
    }
  } else {
    hits = scores.rows.map((row, i) => {
      const t = index[i];
      const s = row[t];
      let rank = 0;
      for (let j = 0; j < row.length; j++) {
        if (row[j] > s || (row[j] === s && j > t)) rank++;
      }
      return rank < k ? 1 : 0;
    });
  }
  return weightedSum(hits, weights, normalize);
}
