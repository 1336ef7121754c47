import { confusionCounts, prepareClassification } from './classification-input';
import { checkOptions } from './options';
import type { LabelInput, NumericInput } from './tensor-like';
import { warnUndefinedMetric } from './warn';

/** Options for {@link balancedAccuracy}; names and defaults follow scikit-learn `balanced_accuracy_score`. */
export interface BalancedAccuracyOptions {
  /** Rescale so that chance scores 0 and perfect scores 1. @default false */
  adjusted?: boolean;
  /** Weight of each sample. @default every sample weighs 1 */
  sampleWeight?: NumericInput;
}

/**
 * Mean of the per-class recalls over the classes present in `yTrue`, as scikit-learn's
 * `sklearn.metrics.balanced_accuracy_score`: the accuracy that each class counts equally in, the
 * figure to watch on imbalanced classes. Classes only predicted, never true, are left out with a
 * warning, as scikit-learn does.
 * @example
 * ```ts
 * import { balancedAccuracy } from '@seqlearn/eval-metrics';
 * console.log(balancedAccuracy([0, 1, 0, 0, 1, 0], [0, 1, 0, 0, 0, 1])); // 0.625
 * ```
 * @throws {EvalMetricsError} `LENGTH_MISMATCH`, `EMPTY_INPUT`, `INVALID_VALUE`.
 * `INVALID_ARGUMENT` (argument `options`) for options that are not an object.
 */
export function balancedAccuracy(
  yTrue: LabelInput,
  yPred: LabelInput,
  options: BalancedAccuracyOptions = {},
): number {
  checkOptions(options);
  const { adjusted = false, sampleWeight } = options;
  const data = prepareClassification(yTrue, yPred, { sampleWeight });
  const m = confusionCounts(data);
  const perClass: number[] = [];
  let missing = false;
  m.forEach((row, i) => {
    const support = row.reduce((a, b) => a + b, 0);
    if (support === 0) missing = true;
    else perClass.push(row[i] / support);
  });
  if (missing) warnUndefinedMetric('y_pred contains classes not in y_true', 'UserWarning');
  let score = perClass.reduce((a, b) => a + b, 0) / perClass.length;
  if (adjusted) {
    const chance = 1 / perClass.length;
    score = (score - chance) / (1 - chance);
  }
  return score;
}
