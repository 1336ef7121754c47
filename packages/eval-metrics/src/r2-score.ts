import { checkOptions } from './options';
import { average, combineOutputs, type Multioutput, prepareRegression } from './regression-input';
import type { MatrixInput, NumericInput } from './tensor-like';
import { warnUndefinedMetric } from './warn';

/** Options for {@link r2Score}; names and defaults follow scikit-learn `r2_score`. */
export interface R2ScoreOptions {
  /** Weight of each sample. @default every sample weighs 1 */
  sampleWeight?: NumericInput;
  /**
   * How the scores of several outputs are combined; `'variance_weighted'` weighs each output by
   * the variance of its targets. @default 'uniform_average'
   */
  multioutput?: Multioutput | 'variance_weighted';
  /**
   * Replace the NaN/-Infinity of constant targets by 1 (perfect prediction) or 0 (imperfect).
   * @default true
   */
  forceFinite?: boolean;
}

/**
 * Coefficient of determination R², as scikit-learn's `sklearn.metrics.r2_score`: 1 is a perfect
 * fit, 0 is predicting the mean, and it can be negative. Fewer than two samples give NaN with a
 * warning, as in scikit-learn.
 * @example
 * ```ts
 * import { r2Score } from '@seqlearn/eval-metrics';
 * console.log(r2Score([3, -0.5, 2, 7], [2.5, 0, 2, 8])); // 0.9486081370449679
 * ```
 * @throws {EvalMetricsError} `LENGTH_MISMATCH`, `EMPTY_INPUT`, `INVALID_VALUE`, `INVALID_ARGUMENT`.
 * `INVALID_ARGUMENT` (argument `options`) for options that are not an object.
 */
export function r2Score(
  yTrue: MatrixInput,
  yPred: MatrixInput,
  options: R2ScoreOptions & { multioutput: 'raw_values' },
): number[];
export function r2Score(
  yTrue: MatrixInput,
  yPred: MatrixInput,
  options?: R2ScoreOptions & { multioutput?: Exclude<R2ScoreOptions['multioutput'], 'raw_values'> },
): number;
export function r2Score(
  yTrue: MatrixInput,
  yPred: MatrixInput,
  options: R2ScoreOptions = {},
): number | number[] {
  checkOptions(options);
  const { sampleWeight, multioutput = 'uniform_average', forceFinite = true } = options;
  const d = prepareRegression(yTrue, yPred, sampleWeight);
  if (d.trueColumns[0].length < 2) {
    warnUndefinedMetric('R^2 score is not well-defined with less than two samples.');
    return Number.NaN;
  }
  const w = (i: number) => (d.weights === undefined ? 1 : d.weights[i]);
  const numerators = d.trueColumns.map((t, j) =>
    t.reduce((a, v, i) => a + w(i) * (v - d.predColumns[j][i]) ** 2, 0),
  );
  const denominators = d.trueColumns.map((t) => {
    const mean = average(t, d.weights);
    return t.reduce((a, v, i) => a + w(i) * (v - mean) ** 2, 0);
  });
  const scores = numerators.map((num, j) => {
    const den = denominators[j];
    if (!forceFinite) return 1 - num / den;
    if (den !== 0 && num !== 0) return 1 - num / den;
    if (num !== 0) return 0;
    return 1;
  });
  return combineOutputs(scores, multioutput, denominators);
}
