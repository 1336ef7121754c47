import { checkOptions } from './options';
import {
  combineOutputs,
  type Multioutput,
  meanLossPerOutput,
  type RegressionOptions,
} from './regression-input';
import type { MatrixInput } from './tensor-like';

/**
 * Mean squared error, as scikit-learn's `sklearn.metrics.mean_squared_error`.
 * @param yTrue targets `[n]` or `[n, outputs]`
 * @example
 * ```ts
 * import { meanSquaredError } from '@seqlearn/eval-metrics';
 * console.log(meanSquaredError([3, -0.5, 2, 7], [2.5, 0, 2, 8])); // 0.375
 * ```
 * @throws {EvalMetricsError} `LENGTH_MISMATCH`, `EMPTY_INPUT`, `INVALID_VALUE`, `INVALID_ARGUMENT`.
 * `INVALID_ARGUMENT` (argument `options`) for options that are not an object.
 */
export function meanSquaredError(
  yTrue: MatrixInput,
  yPred: MatrixInput,
  options: RegressionOptions & { multioutput: 'raw_values' },
): number[];
export function meanSquaredError(
  yTrue: MatrixInput,
  yPred: MatrixInput,
  options?: RegressionOptions & { multioutput?: Exclude<Multioutput, 'raw_values'> },
): number;
export function meanSquaredError(
  yTrue: MatrixInput,
  yPred: MatrixInput,
  options: RegressionOptions = {},
): number | number[] {
  checkOptions(options);
  const { sampleWeight, multioutput = 'uniform_average' } = options;
  return combineOutputs(perOutputMse(yTrue, yPred, sampleWeight), multioutput);
}

function perOutputMse(
  yTrue: MatrixInput,
  yPred: MatrixInput,
  sampleWeight: RegressionOptions['sampleWeight'],
): number[] {
  return meanLossPerOutput(yTrue, yPred, sampleWeight, (t, p) => (t - p) ** 2);
}

/**
 * Root mean squared error, as scikit-learn's `root_mean_squared_error` (and
 * `mean_squared_error(squared=False)` before 1.4): the square root of each output's MSE, then
 * combined over outputs.
 * @example
 * ```ts
 * import { rootMeanSquaredError } from '@seqlearn/eval-metrics';
 * console.log(rootMeanSquaredError([3, -0.5, 2, 7], [2.5, 0, 2, 8])); // 0.6123724356957945
 * ```
 * @throws {EvalMetricsError} as {@link meanSquaredError}.
 * `INVALID_ARGUMENT` (argument `options`) for options that are not an object.
 */
export function rootMeanSquaredError(
  yTrue: MatrixInput,
  yPred: MatrixInput,
  options: RegressionOptions & { multioutput: 'raw_values' },
): number[];
export function rootMeanSquaredError(
  yTrue: MatrixInput,
  yPred: MatrixInput,
  options?: RegressionOptions & { multioutput?: Exclude<Multioutput, 'raw_values'> },
): number;
export function rootMeanSquaredError(
  yTrue: MatrixInput,
  yPred: MatrixInput,
  options: RegressionOptions = {},
): number | number[] {
  checkOptions(options);
  const { sampleWeight, multioutput = 'uniform_average' } = options;
  return combineOutputs(perOutputMse(yTrue, yPred, sampleWeight).map(Math.sqrt), multioutput);
}
