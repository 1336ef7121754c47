import { confusionCounts, prepareClassification } from './classification-input';
import { EvalMetricsError } from './errors';
import { checkOptions } from './options';
import type { LabelInput, NumericInput } from './tensor-like';

/** Options for {@link cohenKappa}; names and defaults follow scikit-learn `cohen_kappa_score`. */
export interface CohenKappaOptions {
  /** Labels indexing the confusion matrix (their order matters for weighted kappa). @default sorted union of both inputs */
  labels?: LabelInput;
  /** Disagreement weighting: none (every disagreement counts 1), `'linear'` or `'quadratic'` in the label distance. @default undefined */
  weights?: 'linear' | 'quadratic';
  /** Weight of each sample. @default every sample weighs 1 */
  sampleWeight?: NumericInput;
}

/**
 * Cohen's kappa, agreement between two labelings corrected for chance, as scikit-learn's
 * `sklearn.metrics.cohen_kappa_score`: `1 - Σ w·observed / Σ w·expected`. When every sample
 * falls in one class the ratio is 0/0 and the result is NaN, as in scikit-learn 1.2.
 * @example
 * ```ts
 * import { cohenKappa } from '@seqlearn/eval-metrics';
 * console.log(cohenKappa([0, 1, 1, 2, 2, 2], [0, 1, 2, 2, 2, 1])); // 0.4545454545454545
 * ```
 * @throws {EvalMetricsError} `INVALID_ARGUMENT` for unknown `weights`, and the input errors of
 * {@link confusionMatrix}.
 * `INVALID_ARGUMENT` (argument `options`) for options that are not an object.
 */
export function cohenKappa(
  y1: LabelInput,
  y2: LabelInput,
  options: CohenKappaOptions = {},
): number {
  checkOptions(options);
  const { labels, weights, sampleWeight } = options;
  if (weights !== undefined && weights !== 'linear' && weights !== 'quadratic') {
    throw new EvalMetricsError({
      code: 'INVALID_ARGUMENT',
      argument: 'weights',
      message: `weights: expected 'linear', 'quadratic' or undefined, got ${JSON.stringify(weights)}`,
    });
  }
  const data = prepareClassification(y1, y2, {
    labels,
    sampleWeight,
    trueName: 'y1',
    predName: 'y2',
  });
  const c = confusionCounts(data);
  const n = c.length;
  const sum0 = new Array<number>(n).fill(0);
  const sum1 = c.map((row) => row.reduce((a, b) => a + b, 0));
  for (const row of c) {
    row.forEach((v, j) => {
      sum0[j] += v;
    });
  }
  const total = sum0.reduce((a, b) => a + b, 0);
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const w =
        weights === undefined
          ? i === j
            ? 0
            : 1
          : weights === 'linear'
            ? Math.abs(i - j)
            : (i - j) ** 2;
      observed += w * c[i][j];
      // numpy: np.outer(sum0, sum1)[i][j] = sum0[i] * sum1[j]
      expected += (w * (sum0[i] * sum1[j])) / total;
    }
  }
  return 1 - observed / expected;
}
