import { prepareClassification } from './classification-input';
import { checkOptions } from './options';
import type { LabelInput, NumericInput } from './tensor-like';
import { zeroWeightSum } from './weighted-sum';

/** Options for {@link accuracy}; names and defaults follow scikit-learn `accuracy_score`. */
export interface AccuracyOptions {
  /** Return the fraction of correct predictions; `false` returns their (weighted) count. @default true */
  normalize?: boolean;
  /** Weight of each sample. @default every sample weighs 1 */
  sampleWeight?: NumericInput;
}

/**
 * Fraction of predictions equal to the true label, as scikit-learn's
 * `sklearn.metrics.accuracy_score`.
 * @example
 * ```ts
 * import { accuracy } from '@seqlearn/eval-metrics';
 * console.log(accuracy([0, 1, 2, 3], [0, 2, 1, 3])); // 0.5
 * console.log(accuracy([0, 1, 2, 3], [0, 2, 1, 3], { normalize: false })); // 2
 * ```
 * @throws {EvalMetricsError} `LENGTH_MISMATCH`, `EMPTY_INPUT`, `INVALID_VALUE` (also for sample
 * weights that sum to zero with `normalize`, where scikit-learn raises `ZeroDivisionError`).
 * `INVALID_ARGUMENT` (argument `options`) for options that are not an object.
 */
export function accuracy(
  yTrue: LabelInput,
  yPred: LabelInput,
  options: AccuracyOptions = {},
): number {
  checkOptions(options);
  const { normalize = true, sampleWeight } = options;
  const data = prepareClassification(yTrue, yPred, { sampleWeight });
  let hits = 0;
  let total = 0;
  for (let i = 0; i < data.yTrue.length; i++) {
    const w = data.weights === undefined ? 1 : data.weights[i];
    if (data.trueIndex[i] === data.predIndex[i]) hits += w;
    total += w;
  }
  if (normalize && total === 0 && data.weights !== undefined) {
    zeroWeightSum('sampleWeight', data.weights.length);
  }
  return normalize ? hits / total : hits;
}
