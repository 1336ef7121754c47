import { checkOptions } from './options';
import {
  combineOutputs,
  type Multioutput,
  meanLossPerOutput,
  type RegressionOptions,
} from './regression-input';
import type { MatrixInput } from './tensor-like';

/**
 * Mean absolute error, as scikit-learn's `sklearn.metrics.mean_absolute_error`.
 * @param yTrue targets `[n]` or `[n, outputs]`
 * @example
 * ```ts
 * import { meanAbsoluteError } from '@seqlearn/eval-metrics';
 * console.log(meanAbsoluteError([3, -0.5, 2, 7], [2.5, 0, 2, 8])); // 0.5
 * ```
 * @throws {EvalMetricsError} `LENGTH_MISMATCH`, `EMPTY_INPUT`, `INVALID_VALUE`, `INVALID_ARGUMENT`.
 * `INVALID_ARGUMENT` (argument `options`) for options that are not an object.
 */
export function meanAbsoluteError(
  yTrue: MatrixInput,
  yPred: MatrixInput,
  options: RegressionOptions & { multioutput: 'raw_values' },
): number[];
export function meanAbsoluteError(
  yTrue: MatrixInput,
  yPred: MatrixInput,
  options?: RegressionOptions & { multioutput?: Exclude<Multioutput, 'raw_values'> },
): number;
export function meanAbsoluteError(
  yTrue: MatrixInput,
  yPred: MatrixInput,
  options: RegressionOptions = {},
): number | number[] {
  checkOptions(options);
  const { sampleWeight, multioutput = 'uniform_average' } = options;
  const perOutput = meanLossPerOutput(yTrue, yPred, sampleWeight, (t, p) => Math.abs(t - p));
  return combineOutputs(perOutput, multioutput);
}
