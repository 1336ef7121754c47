import { EvalMetricsError } from './errors';

/**
 * Throws `INVALID_VALUE` for weights that sum to zero where a weighted mean is taken, as numpy's
 * `np.average` raises `ZeroDivisionError: Weights sum to zero, can't be normalized` (and so
 * scikit-learn's weighted metrics) instead of returning NaN.
 */
export function zeroWeightSum(argument: string, count: number): never {
  throw new EvalMetricsError({
    code: 'INVALID_VALUE',
    argument,
    message: `${argument}: expected weights with a non-zero sum to average over, got ${count} weights summing to 0 (scikit-learn raises ZeroDivisionError: Weights sum to zero, can't be normalized)`,
  });
}

/**
 * `np.average(values, weights)` when normalizing, else `np.sum` (no weights) or
 * `np.dot(values, weights)`: the weighted mean or total of per-sample values. A weighted mean
 * whose weights sum to zero throws `INVALID_VALUE` naming `argument`, as `np.average` raises.
 */
export function weightedSum(
  values: readonly number[],
  weights: readonly number[] | undefined,
  normalize: boolean,
  argument = 'sampleWeight',
): number {
  let sum = 0;
  let wsum = 0;
  values.forEach((v, i) => {
    const w = weights === undefined ? 1 : weights[i];
    sum += v * w;
    wsum += w;
  });
  if (normalize && weights !== undefined && wsum === 0) zeroWeightSum(argument, weights.length);
  return normalize ? sum / wsum : sum;
}
