import { EvalMetricsError } from './errors';
import { checkOptions } from './options';
import { scoreClasses } from './score-classes';
import type { LabelInput, MatrixInput, NumericInput } from './tensor-like';
import { checkNotEmpty, checkSameLength, toLabels, toMatrix, toSampleWeight } from './to-array';
import { weightedSum } from './weighted-sum';

/** Options for {@link logLoss}; names and defaults follow scikit-learn `log_loss`. */
export interface LogLossOptions {
  /**
   * Probabilities are clipped to `[eps, 1 - eps]`. `'auto'` is the float64 machine epsilon
   * (2.22e-16), scikit-learn's choice for float64 input (it picks float32's for float32 arrays).
   * @default 'auto'
   */
  eps?: 'auto' | number;
  /** Return the mean loss per sample; `false` returns the (weighted) sum. @default true */
  normalize?: boolean;
  /** Weight of each sample. @default every sample weighs 1 */
  sampleWeight?: NumericInput;
  /** The class of each probability column, sorted; needed when `yTrue` lacks some classes. @default the sorted labels of `yTrue` */
  labels?: LabelInput;
}

/**
 * Cross-entropy loss (negative log-likelihood) in nats, as scikit-learn's
 * `sklearn.metrics.log_loss`: probabilities are clipped to `[eps, 1 - eps]` and each row is
 * renormalized to sum to 1. For two classes `yPred` may be 1-D (probability of the greater label).
 * @param yPred probabilities `[n, classes]`, e.g. the softmax output of `model.predict(x)`
 * @example
 * ```ts
 * import { logLoss } from '@seqlearn/eval-metrics';
 * console.log(logLoss(['spam', 'ham', 'ham', 'spam'], [[0.1, 0.9], [0.9, 0.1], [0.8, 0.2], [0.35, 0.65]]));
 * // 0.21616187468057912
 * ```
 * @throws {EvalMetricsError} `INVALID_ARGUMENT` (one class only, columns not matching the classes),
 * `LENGTH_MISMATCH`, `EMPTY_INPUT`, `INVALID_VALUE`, `UNKNOWN_LABEL`.
 * `INVALID_ARGUMENT` (argument `options`) for options that are not an object.
 */
export function logLoss(
  yTrue: LabelInput,
  yPred: MatrixInput,
  options: LogLossOptions = {},
): number {
  checkOptions(options);
  const { eps = 'auto', normalize = true, sampleWeight, labels } = options;
  const truth = toLabels(yTrue, 'yTrue');
  checkNotEmpty(truth, 'yTrue');
  const probs = toMatrix(yPred, 'yPred');
  checkSameLength(truth, probs.rows, 'yTrue', 'yPred');
  const weights = toSampleWeight(sampleWeight, truth.length);
  const { classes, index } = scoreClasses(truth, labels, undefined);
  if (classes.length < 2) {
    throw new EvalMetricsError({
      code: 'INVALID_ARGUMENT',
      argument: labels === undefined ? 'yTrue' : 'labels',
      message: `${labels === undefined ? 'yTrue' : 'labels'}: expected at least two classes for logLoss, got ${JSON.stringify(classes)} (pass all classes as labels)`,
    });
  }
  const e = eps === 'auto' ? Number.EPSILON : eps;
  if (typeof e !== 'number' || !(e >= 0 && e < 0.5)) {
    throw new EvalMetricsError({
      code: 'INVALID_ARGUMENT',
      argument: 'eps',
      message: `eps: expected 'auto' or a number in [0, 0.5), got ${JSON.stringify(eps)}`,
    });
  }
  const clip = (v: number) => Math.min(Math.max(v, e), 1 - e);
  let rows = probs.rows.map((r) => r.map(clip));
  if (rows[0].length === 1) rows = rows.map(([p]) => [1 - p, p]);
  if (rows[0].length !== classes.length) {
    throw new EvalMetricsError({
      code: 'INVALID_ARGUMENT',
      argument: 'yPred',
      message: `yPred: expected ${classes.length} columns, one per class ${JSON.stringify(classes.length > 20 ? classes.slice(0, 20) : classes)}, got ${rows[0].length} (pass all classes as labels)`,
    });
  }
  const losses = rows.map((row, i) => {
    const sum = row.reduce((a, b) => a + b, 0);
    return -Math.log(row[index[i]] / sum);
  });
  return weightedSum(losses, weights, normalize);
}
