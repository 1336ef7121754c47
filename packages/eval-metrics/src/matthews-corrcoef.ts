import { confusionCounts, prepareClassification } from './classification-input';
import { checkOptions } from './options';
import type { LabelInput, NumericInput } from './tensor-like';

/** Options for {@link matthewsCorrcoef}; names follow scikit-learn `matthews_corrcoef`. */
export interface MatthewsCorrcoefOptions {
  /** Weight of each sample. @default every sample weighs 1 */
  sampleWeight?: NumericInput;
}

/**
 * Matthews correlation coefficient (multiclass R_K statistic), as scikit-learn's
 * `sklearn.metrics.matthews_corrcoef`: +1 perfect, 0 no better than chance, -1 inverse; 0 when
 * either labeling has a single class.
 * @example
 * ```ts
 * import { matthewsCorrcoef } from '@seqlearn/eval-metrics';
 * console.log(matthewsCorrcoef([1, 1, 1, 0], [1, 0, 1, 1])); // -0.3333333333333333
 * ```
 * @throws {EvalMetricsError} `LENGTH_MISMATCH`, `EMPTY_INPUT`, `INVALID_VALUE`.
 * `INVALID_ARGUMENT` (argument `options`) for options that are not an object.
 */
export function matthewsCorrcoef(
  yTrue: LabelInput,
  yPred: LabelInput,
  options: MatthewsCorrcoefOptions = {},
): number {
  checkOptions(options);
  const { sampleWeight } = options;
  const c = confusionCounts(prepareClassification(yTrue, yPred, { sampleWeight }));
  const n = c.length;
  const tSum = c.map((row) => row.reduce((a, b) => a + b, 0));
  const pSum = new Array<number>(n).fill(0);
  let correct = 0;
  c.forEach((row, i) => {
    correct += row[i];
    row.forEach((v, j) => {
      pSum[j] += v;
    });
  });
  const samples = pSum.reduce((a, b) => a + b, 0);
  const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);
  const covYtYp = correct * samples - dot(tSum, pSum);
  const covYpYp = samples ** 2 - dot(pSum, pSum);
  const covYtYt = samples ** 2 - dot(tSum, tSum);
  if (covYpYp * covYtYt === 0) return 0;
  return covYtYp / Math.sqrt(covYtYt * covYpYp);
}
