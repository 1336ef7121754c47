/**
 * `np.average(values, weights)` when normalizing, else `np.sum` (no weights) or
 * `np.dot(values, weights)`: the weighted mean or total of per-sample values.
 */
export function weightedSum(
  values: readonly number[],
  weights: readonly number[] | undefined,
  normalize: boolean,
): number {
  let sum = 0;
  let wsum = 0;
  values.forEach((v, i) => {
    const w = weights === undefined ? 1 : weights[i];
    sum += v * w;
    wsum += w;
  });
  return normalize ? sum / wsum : sum;
}
