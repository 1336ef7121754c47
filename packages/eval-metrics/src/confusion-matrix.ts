import { confusionCounts, prepareClassification } from './classification-input';
import { EvalMetricsError } from './errors';
import { checkOptions } from './options';
import type { LabelInput, NumericInput } from './tensor-like';

/** Options for {@link confusionMatrix}; names and defaults follow scikit-learn `confusion_matrix`. */
export interface ConfusionMatrixOptions {
  /**
   * Labels that index the rows and columns, in that order. Every label of `yTrue` and `yPred`
   * must be among them (an `UNKNOWN_LABEL` error otherwise, where scikit-learn drops the sample);
   * labels that never occur give rows and columns of zeros.
   * @default the sorted union of the labels in `yTrue` and `yPred`
   */
  labels?: LabelInput;
  /** Weight of each sample. @default every sample weighs 1 */
  sampleWeight?: NumericInput;
  /**
   * Divide the counts by the row sums (`'true'`), the column sums (`'pred'`) or the total
   * (`'all'`); a row or column that sums to 0 stays 0.
   * @default undefined (counts)
   */
  normalize?: 'true' | 'pred' | 'all';
}

/**
 * Confusion matrix `C` where `C[i][j]` counts the samples of true label `labels[i]` predicted as
 * `labels[j]`, as scikit-learn's `sklearn.metrics.confusion_matrix`.
 *
 * @param yTrue true labels (integers or strings): array, typed array or 1-D tensor
 * @param yPred predicted labels, same length
 * @example
 * ```ts
 * import { confusionMatrix } from '@seqlearn/eval-metrics';
 * console.log(confusionMatrix([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2]));
 * // [[2, 0, 0], [0, 0, 1], [1, 0, 2]]
 * console.log(confusionMatrix(['a', 'b', 'b'], ['a', 'a', 'b'], { normalize: 'true' }));
 * // [[1, 0], [0.5, 0.5]]
 * ```
 * @throws {EvalMetricsError} `LENGTH_MISMATCH`, `EMPTY_INPUT`, `INVALID_VALUE` (NaN, fractional or
 * mixed labels), `UNKNOWN_LABEL` (a label outside `labels`), `INVALID_ARGUMENT` (bad `normalize`).
 * `INVALID_ARGUMENT` (argument `options`) for options that are not an object.
 */
export function confusionMatrix(
  yTrue: LabelInput,
  yPred: LabelInput,
  options: ConfusionMatrixOptions = {},
): number[][] {
  checkOptions(options);
  const { labels, sampleWeight, normalize } = options;
  if (normalize !== undefined && !['true', 'pred', 'all'].includes(normalize)) {
    throw new EvalMetricsError({
      code: 'INVALID_ARGUMENT',
      argument: 'normalize',
      message: `normalize: expected 'true', 'pred', 'all' or undefined, got ${JSON.stringify(normalize)}`,
    });
  }
  const data = prepareClassification(yTrue, yPred, { labels, sampleWeight });
  const m = confusionCounts(data);
  if (normalize === undefined) return m;
  const n = m.length;
  const divide = (v: number, d: number) => (d === 0 ? 0 : v / d);
  if (normalize === 'true') {
    return m.map((row) => {
      const s = row.reduce((a, b) => a + b, 0);
      return row.map((v) => divide(v, s));
    });
  }
  if (normalize === 'pred') {
    const sums = new Array<number>(n).fill(0);
    for (const row of m) {
      row.forEach((v, j) => {
        sums[j] += v;
      });
    }
    return m.map((row) => row.map((v, j) => divide(v, sums[j])));
  }
  const total = m.reduce((a, row) => a + row.reduce((x, y) => x + y, 0), 0);
  return m.map((row) => row.map((v) => divide(v, total)));
}
