import { EvalMetricsError } from './errors';
import type { MatrixInput, NumericInput } from './tensor-like';
import { checkNotEmpty, toNumericDense, toSampleWeight } from './to-array';
import { weightedSum } from './weighted-sum';

/**
 * How the scores of several outputs (columns of 2-D targets) are combined, as scikit-learn's
 * `multioutput`: `'uniform_average'` (mean), `'raw_values'` (one score per output) or an array of
 * weights, one per output.
 */
export type Multioutput = 'uniform_average' | 'raw_values' | readonly number[];

/** Options shared by the regression metrics. */
export interface RegressionOptions {
  /** Weight of each sample. @default every sample weighs 1 */
  sampleWeight?: NumericInput;
  /** How the scores of several outputs are combined. @default 'uniform_average' */
  multioutput?: Multioutput;
}

/** Regression targets as columns (one per output), with the sample weights. */
export interface RegressionData {
  trueColumns: number[][];
  predColumns: number[][];
  weights: number[] | undefined;
}

/** Reads `[n]` or `[n, outputs]` targets of equal shape. */
export function prepareRegression(
  yTrue: MatrixInput,
  yPred: MatrixInput,
  sampleWeight: NumericInput | undefined,
): RegressionData {
  const t = toNumericDense(yTrue, 'yTrue');
  const p = toNumericDense(yPred, 'yPred');
  for (const [name, d] of [
    ['yTrue', t],
    ['yPred', p],
  ] as const) {
    if (d.shape.length > 2) {
      throw new EvalMetricsError({
        code: 'INVALID_ARGUMENT',
        argument: name,
        message: `${name}: expected [n] or [n, outputs], got shape [${d.shape.join(', ')}]`,
      });
    }
  }
  const n = t.shape[0];
  const outputs = t.shape.length === 2 ? t.shape[1] : 1;
  const pOutputs = p.shape.length === 2 ? p.shape[1] : 1;
  if (p.shape[0] !== n || pOutputs !== outputs) {
    throw new EvalMetricsError({
      code: 'LENGTH_MISMATCH',
      argument: 'yPred',
      message: `yPred: expected shape [${t.shape.join(', ')}] to match yTrue, got [${p.shape.join(', ')}]`,
    });
  }
  checkNotEmpty({ length: n }, 'yTrue');
  const columns = (data: number[]) =>
    Array.from({ length: outputs }, (_, j) =>
      Array.from({ length: n }, (_v, i) => data[i * outputs + j]),
    );
  return {
    trueColumns: columns(t.data),
    predColumns: columns(p.data),
    weights: toSampleWeight(sampleWeight, n),
  };
}

/** `np.average(values, weights)`; weights summing to zero throw `INVALID_VALUE` naming `argument`. */
export function average(
  values: number[],
  weights?: readonly number[],
  argument = 'sampleWeight',
): number {
  return weightedSum(values, weights, true, argument);
}

/**
 * Each output's (weighted) mean over the samples of `loss(true, predicted)`: the per-output
 * scores of the mean absolute and mean squared errors.
 */
export function meanLossPerOutput(
  yTrue: MatrixInput,
  yPred: MatrixInput,
  sampleWeight: NumericInput | undefined,
  loss: (yTrue: number, yPred: number) => number,
): number[] {
  const d = prepareRegression(yTrue, yPred, sampleWeight);
  return d.trueColumns.map((t, j) =>
    average(
      t.map((v, i) => loss(v, d.predColumns[j][i])),
      d.weights,
    ),
  );
}

/** Combines per-output scores as `multioutput` says. */
export function combineOutputs(
  scores: number[],
  multioutput: Multioutput | 'variance_weighted',
  varianceWeights?: number[],
): number | number[] {
  if (multioutput === 'raw_values') return scores;
  if (multioutput === 'uniform_average') return average(scores);
  if (multioutput === 'variance_weighted' && varianceWeights !== undefined) {
    return varianceWeights.some((w) => w !== 0)
      ? average(scores, varianceWeights)
      : average(scores);
  }
  if (Array.isArray(multioutput) && multioutput.length === scores.length) {
    // scikit-learn's check_array on the weights: NaN and infinities are refused.
    const bad = multioutput.findIndex((w) => typeof w !== 'number' || !Number.isFinite(w));
    if (bad >= 0) {
      throw new EvalMetricsError({
        code: 'INVALID_VALUE',
        argument: 'multioutput',
        message: `multioutput: expected finite output weights, got ${multioutput[bad]} at index ${bad}`,
      });
    }
    return average(scores, multioutput as number[], 'multioutput');
  }
  throw new EvalMetricsError({
    code: 'INVALID_ARGUMENT',
    argument: 'multioutput',
    message: `multioutput: expected 'uniform_average', 'raw_values'${varianceWeights ? ", 'variance_weighted'" : ''} or ${scores.length} weights, got ${JSON.stringify(multioutput)}`,
  });
}
