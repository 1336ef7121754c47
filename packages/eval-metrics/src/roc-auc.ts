import { uniqueLabels } from './classification-input';
import { EvalMetricsError } from './errors';
import { checkOptions } from './options';
import { scoreClasses } from './score-classes';
import type { LabelInput, MatrixInput, NumericInput } from './tensor-like';
import { checkNotEmpty, checkSameLength, toLabels, toMatrix, toSampleWeight } from './to-array';
import { warnUndefinedMetric } from './warn';

/** Options for {@link rocAuc}; names and defaults follow scikit-learn `roc_auc_score`. */
export interface RocAucOptions {
  /**
   * How the one-vs-rest scores of a multiclass problem are combined: `'macro'` (unweighted mean),
   * `'weighted'` (by support), `'micro'` (all classes pooled) or `'none'` (one score per class).
   * Ignored for binary targets (a single number is returned even for `'none'`). @default 'macro'
   */
  average?: 'macro' | 'weighted' | 'micro' | 'none';
  /**
   * Multiclass strategy. scikit-learn's default `'raise'` refuses multiclass targets; pass
   * `'ovr'` (one-vs-rest) for them. @default 'raise'
   */
  multiClass?: 'raise' | 'ovr';
  /** The class of each score column, sorted (multiclass). @default the sorted labels of `yTrue` */
  labels?: LabelInput;
  /** Weight of each sample. @default every sample weighs 1 */
  sampleWeight?: NumericInput;
}

/**
 * Area under the ROC curve of one binary problem (`y` in {0, 1}), ties as scikit-learn's
 * `roc_curve`. When the positives or the negatives weigh nothing in all, the curve is undefined:
 * NaN with an `UndefinedMetricWarning`, as scikit-learn's `roc_curve` warns.
 */
export function binaryRocAuc(y: number[], score: number[], weights: number[] | undefined): number {
  const order = score.map((_, i) => i).sort((a, b) => score[b] - score[a] || a - b);
  let tp = 0;
  let fp = 0;
  let prevTp = 0;
  let prevFp = 0;
  let area = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    const w = weights === undefined ? 1 : weights[i];
    if (y[i] === 1) tp += w;
    else fp += w;
    const last = k === order.length - 1 || score[order[k + 1]] !== score[i];
    if (last) {
      area += ((fp - prevFp) * (tp + prevTp)) / 2;
      prevTp = tp;
      prevFp = fp;
    }
  }
  if (tp === 0 || fp === 0) {
    // Callers check that both classes are present, so this is a class whose weights are all 0.
    warnUndefinedMetric(
      tp === 0
        ? 'No positive samples in y_true, true positive value should be meaningless'
        : 'No negative samples in y_true, false positive value should be meaningless',
    );
    return Number.NaN;
  }
  return area / (tp * fp);
}

function oneClassError(): never {
  throw new EvalMetricsError({
    code: 'INVALID_ARGUMENT',
    argument: 'yTrue',
    message:
      'yTrue: expected both classes of a binary problem, got only one class present; ROC AUC is not defined in that case',
  });
}

/**
 * Reads `sampleWeight` for a ROC curve: weights must be >= 0 (a negative weight makes the curve go
 * backwards; scikit-learn then fails in `auc` or returns a meaningless area) and must not sum to
 * zero (scikit-learn fails on the empty curve).
 */
function rocWeights(sampleWeight: NumericInput | undefined, n: number): number[] | undefined {
  const weights = toSampleWeight(sampleWeight, n);
  if (weights === undefined) return undefined;
  const negative = weights.findIndex((w) => w < 0);
  if (negative >= 0) {
    throw new EvalMetricsError({
      code: 'INVALID_VALUE',
      argument: 'sampleWeight',
      message: `sampleWeight: expected weights >= 0 for a ROC curve, got ${weights[negative]} at index ${negative}`,
    });
  }
  if (weights.every((w) => w === 0)) {
    throw new EvalMetricsError({
      code: 'INVALID_VALUE',
      argument: 'sampleWeight',
      message: `sampleWeight: expected at least one non-zero weight for a ROC curve, got ${weights.length} weights that are all 0 (scikit-learn fails on the empty curve rather than return NaN)`,
    });
  }
  return weights;
}

/**
 * Area under the ROC curve, as scikit-learn's `sklearn.metrics.roc_auc_score`: for binary targets
 * from the scores of the greater label (1-D, or the second column of a `[n, 2]` matrix); for
 * multiclass targets one-vs-rest (`multiClass: 'ovr'`), from probabilities `[n, classes]` whose
 * rows sum to 1, averaged over classes.
 * @example
 * ```ts
 * import { rocAuc } from '@seqlearn/eval-metrics';
 * console.log(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])); // 0.75
 * const probs = [[0.7, 0.2, 0.1], [0.2, 0.5, 0.3], [0.1, 0.3, 0.6], [0.3, 0.4, 0.3]];
 * console.log(rocAuc([0, 1, 2, 1], probs, { multiClass: 'ovr' })); // 1
 * ```
 * A class whose samples all weigh 0 gives NaN with an `UndefinedMetricWarning`, as in scikit-learn.
 * @throws {EvalMetricsError} `INVALID_ARGUMENT` (one class only, multiclass without
 * `multiClass: 'ovr'`, rows not summing to 1, unknown `average`), `LENGTH_MISMATCH`, `EMPTY_INPUT`,
 * `INVALID_VALUE` (also for a negative sample weight, or sample weights that are all 0),
 * `UNKNOWN_LABEL`.
 * `INVALID_ARGUMENT` (argument `options`) for options that are not an object.
 */
export function rocAuc(
  yTrue: LabelInput,
  yScore: MatrixInput,
  options: RocAucOptions & { average: 'none' },
): number | number[];
export function rocAuc(
  yTrue: LabelInput,
  yScore: MatrixInput,
  options?: RocAucOptions & { average?: 'macro' | 'weighted' | 'micro' },
): number;
export function rocAuc(
  yTrue: LabelInput,
  yScore: MatrixInput,
  options?: RocAucOptions,
): number | number[];
export function rocAuc(
  yTrue: LabelInput,
  yScore: MatrixInput,
  options: RocAucOptions = {},
): number | number[] {
  checkOptions(options);
  const { average = 'macro', multiClass = 'raise', labels, sampleWeight } = options;
  if (!['macro', 'weighted', 'micro', 'none'].includes(average)) {
    throw new EvalMetricsError({
      code: 'INVALID_ARGUMENT',
      argument: 'average',
      message: `average: expected 'macro', 'weighted', 'micro' or 'none', got ${JSON.stringify(average)}`,
    });
  }
  const truth = toLabels(yTrue, 'yTrue');
  checkNotEmpty(truth, 'yTrue');
  const scores = toMatrix(yScore, 'yScore');
  checkSameLength(truth, scores.rows, 'yTrue', 'yScore');
  const weights = rocWeights(sampleWeight, truth.length);
  const present = uniqueLabels(truth);
  const multiclass = present.length > 2 || scores.columns > 2;
  if (!multiclass) {
    if (present.length !== 2) oneClassError();
    if (!scores.was1d && scores.columns !== 1 && scores.columns !== 2) oneClassError();
    const column = scores.columns === 2 ? 1 : 0;
    const y = truth.map((v) => (v === present[1] ? 1 : 0));
    return binaryRocAuc(
      y,
      scores.rows.map((r) => r[column]),
      weights,
    );
  }
  if (multiClass !== 'ovr') {
    throw new EvalMetricsError({
      code: 'INVALID_ARGUMENT',
      argument: 'multiClass',
      message: `multiClass: expected 'ovr' for multiclass targets, got ${JSON.stringify(multiClass)} (scikit-learn's default 'raise' refuses them)`,
    });
  }
  for (const row of scores.rows) {
    const s = row.reduce((a, b) => a + b, 0);
    if (Math.abs(1 - s) > 1e-8 + 1e-5 * Math.abs(s)) {
      throw new EvalMetricsError({
        code: 'INVALID_ARGUMENT',
        argument: 'yScore',
        message: `yScore: expected probabilities whose rows sum to 1 for multiclass ROC AUC, got a row summing to ${s}`,
      });
    }
  }
  const { classes, index } = scoreClasses(truth, labels, scores.columns);
  if (average === 'micro') {
    const y: number[] = [];
    const s: number[] = [];
    const w: number[] | undefined = weights === undefined ? undefined : [];
    scores.rows.forEach((row, i) => {
      row.forEach((v, j) => {
        y.push(index[i] === j ? 1 : 0);
        s.push(v);
        w?.push((weights as number[])[i]);
      });
    });
    return binaryRocAuc(y, s, w);
  }
  const perClass = classes.map((_, j) => {
    const y = truth.map((_v, i) => (index[i] === j ? 1 : 0));
    if (!y.includes(1) || !y.includes(0)) oneClassError();
    return binaryRocAuc(
      y,
      scores.rows.map((r) => r[j]),
      weights,
    );
  });
  if (average === 'none') return perClass;
  const support = classes.map((_, j) =>
    truth.reduce<number>(
      (a, _v, i) => a + (index[i] === j ? (weights === undefined ? 1 : weights[i]) : 0),
      0,
    ),
  );
  const w = average === 'weighted' ? support : classes.map(() => 1);
  const total = w.reduce((a, b) => a + b, 0);
  return perClass.reduce((a, v, j) => a + v * w[j], 0) / total;
}
