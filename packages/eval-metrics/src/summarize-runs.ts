import { EvalMetricsError } from './errors';
import { checkOptions } from './options';
import { studentTQuantile } from './student-t';
import type { NumericInput } from './tensor-like';
import { checkNotEmpty, toNumbers } from './to-array';

/** Options for {@link summarizeRuns}. */
export interface SummarizeRunsOptions {
  /** Coverage of the confidence interval of the mean. @default 0.95 */
  confidence?: number;
}

/** Result of {@link summarizeRuns}. */
export interface RunSummary {
  /** Number of runs. */
  n: number;
  mean: number;
  /** Sample standard deviation (ddof = 1, numpy's `np.std(x, ddof=1)`); NaN for one run. */
  std: number;
  min: number;
  max: number;
  /** Confidence interval of the mean, `mean ± t(1 - (1 - confidence)/2, n - 1) · std / √n`; NaN for one run. */
  ci: [number, number];
  /** The coverage of `ci`. */
  confidence: number;
}

/**
 * Summarizes one figure over repeated runs (a setting trained with several seeds): mean, sample
 * standard deviation (ddof = 1), min, max and a Student-t confidence interval of the mean
 * (scipy's `stats.t.interval(confidence, n - 1, loc=mean, scale=std/sqrt(n))`).
 * @example
 * ```ts
 * import { summarizeRuns } from '@seqlearn/eval-metrics';
 * console.log(summarizeRuns([0.71, 0.74, 0.73]));
 * // { n: 3, mean: 0.7266…, std: 0.01527…, min: 0.71, max: 0.74, ci: [0.6887…, 0.7646…], confidence: 0.95 }
 * ```
 * @throws {EvalMetricsError} `EMPTY_INPUT`, `INVALID_VALUE` (NaN), `INVALID_ARGUMENT` (bad `confidence`).
 * `INVALID_ARGUMENT` (argument `options`) for options that are not an object.
 */
export function summarizeRuns(
  values: NumericInput,
  options: SummarizeRunsOptions = {},
): RunSummary {
  checkOptions(options);
  const { confidence = 0.95 } = options;
  if (typeof confidence !== 'number' || !(confidence > 0 && confidence < 1)) {
    throw new EvalMetricsError({
      code: 'INVALID_ARGUMENT',
      argument: 'confidence',
      message: `confidence: expected a number in (0, 1), got ${confidence}`,
    });
  }
  const x = toNumbers(values, 'values');
  checkNotEmpty(x, 'values');
  const n = x.length;
  const mean = x.reduce((a, b) => a + b, 0) / n;
  const std = n > 1 ? Math.sqrt(x.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : Number.NaN;
  const half =
    n > 1 ? (studentTQuantile(1 - (1 - confidence) / 2, n - 1) * std) / Math.sqrt(n) : Number.NaN;
  return {
    n,
    mean,
    std,
    min: Math.min(...x),
    max: Math.max(...x),
    ci: [mean - half, mean + half],
    confidence,
  };
}
