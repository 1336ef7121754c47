import { prepareClassification, uniqueLabels } from './classification-input';
import { EvalMetricsError } from './errors';
import { numpySum } from './numpy-sum';
import { checkOptions } from './options';
import type { Label, LabelInput, NumericInput } from './tensor-like';
import { warnUndefinedMetric } from './warn';

/**
 * How per-class scores are combined, as scikit-learn's `average`:
 * - `'binary'`: only the class `posLabel` (targets with at most two labels);
 * - `'micro'`: from the true positives, false negatives and false positives summed over classes;
 * - `'macro'`: the unweighted mean of the per-class scores;
 * - `'weighted'`: the mean of the per-class scores weighted by support (true count);
 * - `'none'`: no averaging; one score per label (scikit-learn's `average=None`).
 */
export type Average = 'binary' | 'micro' | 'macro' | 'weighted' | 'none';

/**
 * Value of a score whose denominator is 0, as scikit-learn's `zero_division`: `'warn'` gives 0
 * and emits an `UndefinedMetricWarning`; `0` and `1` give that value silently; `NaN` gives NaN,
 * and NaN scores are then left out of averages (scikit-learn ≥ 1.3).
 */
export type ZeroDivision = 'warn' | number;

/** Options shared by {@link precision}, {@link recall}, {@link f1} and {@link fbeta}. */
export interface PrecisionRecallOptions {
  /** How per-class scores are combined. @default 'binary' (scikit-learn's default) */
  average?: Average;
  /**
   * Labels to score, in output order for `average: 'none'`. Every label in `yTrue`/`yPred` must be
   * among them; labels absent from the data get zero support. Ignored by `average: 'binary'`.
   * @default the sorted union of the labels in `yTrue` and `yPred`
   */
  labels?: LabelInput;
  /** The positive class for `average: 'binary'`. @default 1 */
  posLabel?: Label;
  /** Weight of each sample. @default every sample weighs 1 */
  sampleWeight?: NumericInput;
  /** Value of an ill-defined score (0/0). @default 'warn' */
  zeroDivision?: ZeroDivision;
}

/** Options for {@link fbeta}: {@link PrecisionRecallOptions} plus the required `beta`. */
export interface FbetaOptions extends PrecisionRecallOptions {
  /** Weight of recall relative to precision (`beta > 1` favours recall); `beta >= 0`. */
  beta: number;
}

/** Options for {@link precisionRecallFscoreSupport}; `average` defaults to `'none'` there. */
export interface PrecisionRecallFscoreSupportOptions
  extends Omit<PrecisionRecallOptions, 'average'> {
  /** How per-class scores are combined. @default 'none' (scikit-learn's `average=None`) */
  average?: Average;
  /** The `beta` of the F-score. @default 1 */
  beta?: number;
}

/** Per-class result of {@link precisionRecallFscoreSupport} (`average: 'none'`). */
export interface PrecisionRecallFscoreSupportPerClass {
  precision: number[];
  recall: number[];
  fScore: number[];
  /** Number (or total weight) of true samples of each label. */
  support: number[];
}

/** Averaged result of {@link precisionRecallFscoreSupport}; `support` is undefined, as in scikit-learn. */
export interface PrecisionRecallFscoreSupportAveraged {
  precision: number;
  recall: number;
  fScore: number;
  support: undefined;
}

type WarnFor = ReadonlyArray<'precision' | 'recall' | 'f-score'>;
const AVERAGES: readonly Average[] = ['binary', 'micro', 'macro', 'weighted', 'none'];

function warnPrf(modifier: string, msgStart: string, size: number): void {
  const where = size === 1 ? 'due to' : 'in labels with';
  warnUndefinedMetric(
    `${msgStart} ill-defined and being set to 0.0 ${where} no ${modifier} samples. Use \`zeroDivision\` parameter to control this behavior.`,
  );
}

function divide(
  num: number[],
  den: number[],
  zeroDivision: ZeroDivision,
): { result: number[]; ill: boolean } {
  let ill = false;
  const value = zeroDivision === 'warn' ? 0 : zeroDivision;
  const result = num.map((n, i) => {
    if (den[i] === 0) {
      ill = true;
      return value;
    }
    return n / den[i];
  });
  return { result, ill };
}

function nanAverage(values: number[], weights?: number[]): number {
  const keep = values.map((v) => !Number.isNaN(v));
  if (values.length === 0 || !keep.some(Boolean)) return Number.NaN;
  let sum = 0;
  let wsum = 0;
  values.forEach((v, i) => {
    if (!keep[i]) return;
    const w = weights === undefined ? 1 : weights[i];
    sum += v * w;
    wsum += w;
  });
  if (wsum === 0) return nanAverage(values);
  return sum / wsum;
}

/** The shared computation behind precision, recall and the F-scores. */
export function computePrfs(
  yTrue: LabelInput,
  yPred: LabelInput,
  {
    average = 'none',
    labels,
    posLabel = 1,
    sampleWeight,
    zeroDivision = 'warn',
    beta = 1,
  }: PrecisionRecallFscoreSupportOptions,
  warnFor: WarnFor,
): PrecisionRecallFscoreSupportPerClass | PrecisionRecallFscoreSupportAveraged {
  if (!AVERAGES.includes(average)) {
    throw new EvalMetricsError({
      code: 'INVALID_ARGUMENT',
      argument: 'average',
      message: `average: expected one of ${AVERAGES.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(average)}`,
    });
  }
  if (
    zeroDivision !== 'warn' &&
    !(zeroDivision === 0 || zeroDivision === 1 || Number.isNaN(zeroDivision))
  ) {
    throw new EvalMetricsError({
      code: 'INVALID_ARGUMENT',
      argument: 'zeroDivision',
      message: `zeroDivision: expected 'warn', 0, 1 or NaN, got ${JSON.stringify(zeroDivision)}`,
    });
  }
  if (typeof beta !== 'number' || Number.isNaN(beta) || beta < 0) {
    throw new EvalMetricsError({
      code: 'INVALID_ARGUMENT',
      argument: 'beta',
      message: `beta: expected a number >= 0, got ${beta}`,
    });
  }
  const data = prepareClassification(yTrue, yPred, { labels, sampleWeight });
  // Sums in sample order, as numpy's bincount in scikit-learn's multilabel_confusion_matrix.
  const n = data.labels.length;
  const tpBins = new Array<number>(n).fill(0);
  const predBins = new Array<number>(n).fill(0);
  const trueBins = new Array<number>(n).fill(0);
  for (let i = 0; i < data.trueIndex.length; i++) {
    const w = data.weights === undefined ? 1 : data.weights[i];
    const t = data.trueIndex[i];
    const p = data.predIndex[i];
    if (t === p) tpBins[t] += w;
    predBins[p] += w;
    trueBins[t] += w;
  }
  const stats = (label: Label) => {
    const i = data.labels.indexOf(label);
    if (i < 0) return { tp: 0, pred: 0, true: 0 };
    return { tp: tpBins[i], pred: predBins[i], true: trueBins[i] };
  };

  let selected: Label[] = data.labels;
  if (average === 'binary') {
    const present = uniqueLabels(data.yTrue, data.yPred);
    if (present.length > 2) {
      throw new EvalMetricsError({
        code: 'INVALID_ARGUMENT',
        argument: 'average',
        message: `average: 'binary' needs at most two labels, got ${present.length} (multiclass); choose 'micro', 'macro', 'weighted' or 'none'`,
      });
    }
    if (!present.includes(posLabel) && present.length >= 2) {
      throw new EvalMetricsError({
        code: 'INVALID_ARGUMENT',
        argument: 'posLabel',
        message: `posLabel: expected one of ${JSON.stringify(present)}, got ${JSON.stringify(posLabel)}`,
      });
    }
    selected = [posLabel];
  }
  let tp = selected.map((l) => stats(l).tp);
  let predSum = selected.map((l) => stats(l).pred);
  let trueSum = selected.map((l) => stats(l).true);
  if (average === 'micro') {
    const sum = (a: number[]) => [numpySum(a)];
    tp = sum(tp);
    predSum = sum(predSum);
    trueSum = sum(trueSum);
  }

  const warn = zeroDivision === 'warn';
  const p = divide(tp, predSum, zeroDivision);
  const r = divide(tp, trueSum, zeroDivision);
  const withF = warnFor.includes('f-score');
  if (warn && p.ill && warnFor.includes('precision')) {
    warnPrf('predicted', withF ? 'Precision and F-score are' : 'Precision is', tp.length);
  }
  if (warn && r.ill && warnFor.includes('recall')) {
    warnPrf('true', withF ? 'Recall and F-score are' : 'Recall is', tp.length);
  }
  if (
    warn &&
    warnFor.length === 1 &&
    withF &&
    trueSum.some((t, i) => t === 0 && predSum[i] === 0)
  ) {
    warnPrf('true nor predicted', 'F-score is', tp.length);
  }
  let f: number[];
  if (beta === Number.POSITIVE_INFINITY) f = r.result;
  else {
    const b2 = beta * beta;
    f = divide(
      tp.map((t) => (1 + b2) * t),
      trueSum.map((t, i) => b2 * t + predSum[i]),
      zeroDivision,
    ).result;
  }

  if (average === 'none') {
    return { precision: p.result, recall: r.result, fScore: f, support: trueSum };
  }
  let weights: number[] | undefined;
  if (average === 'weighted') {
    weights = trueSum;
    if (trueSum.reduce((a, b) => a + b, 0) === 0) {
      // scikit-learn 1.2: no true samples among the labels scored.
      const z = zeroDivision === 'warn' ? 0 : zeroDivision;
      const none = predSum.reduce((a, b) => a + b, 0) === 0;
      return { precision: none ? z : 0, recall: z, fScore: none ? z : 0, support: undefined };
    }
  }
  return {
    precision: nanAverage(p.result, weights),
    recall: nanAverage(r.result, weights),
    fScore: nanAverage(f, weights),
    support: undefined,
  };
}

/**
 * Precision, recall, F-beta score and support of each label, or their average, as scikit-learn's
 * `sklearn.metrics.precision_recall_fscore_support` (same `average`, `zeroDivision` and warnings).
 * @example
 * ```ts
 * import { precisionRecallFscoreSupport } from '@seqlearn/eval-metrics';
 * const yTrue = ['cat', 'dog', 'pig', 'cat', 'dog', 'pig'];
 * const yPred = ['cat', 'pig', 'dog', 'cat', 'cat', 'dog'];
 * console.log(precisionRecallFscoreSupport(yTrue, yPred));
 * // { precision: [0.667, 0, 0], recall: [1, 0, 0], fScore: [0.8, 0, 0], support: [2, 2, 2] } (rounded)
 * console.log(precisionRecallFscoreSupport(yTrue, yPred, { average: 'macro' }).fScore);
 * // 0.26666666666666666
 * ```
 * @throws {EvalMetricsError} `INVALID_ARGUMENT` (unknown `average`, bad `zeroDivision` or `beta`,
 * `'binary'` on multiclass targets), `LENGTH_MISMATCH`, `EMPTY_INPUT`, `INVALID_VALUE`,
 * `UNKNOWN_LABEL`.
 * `INVALID_ARGUMENT` (argument `options`) for options that are not an object.
 */
export function precisionRecallFscoreSupport(
  yTrue: LabelInput,
  yPred: LabelInput,
  options?: PrecisionRecallFscoreSupportOptions & { average?: 'none' },
): PrecisionRecallFscoreSupportPerClass;
export function precisionRecallFscoreSupport(
  yTrue: LabelInput,
  yPred: LabelInput,
  options: PrecisionRecallFscoreSupportOptions & { average: Exclude<Average, 'none'> },
): PrecisionRecallFscoreSupportAveraged;
export function precisionRecallFscoreSupport(
  yTrue: LabelInput,
  yPred: LabelInput,
  options?: PrecisionRecallFscoreSupportOptions,
): PrecisionRecallFscoreSupportPerClass | PrecisionRecallFscoreSupportAveraged;
export function precisionRecallFscoreSupport(
  yTrue: LabelInput,
  yPred: LabelInput,
  options: PrecisionRecallFscoreSupportOptions = {},
): PrecisionRecallFscoreSupportPerClass | PrecisionRecallFscoreSupportAveraged {
  checkOptions(options);
  return computePrfs(yTrue, yPred, options, ['precision', 'recall', 'f-score']);
}

/**
 * Precision `tp / (tp + fp)`, as scikit-learn's `sklearn.metrics.precision_score`.
 * @example
 * ```ts
 * import { precision } from '@seqlearn/eval-metrics';
 * console.log(precision([0, 1, 1, 0], [1, 1, 1, 0])); // 0.6666666666666666 (binary, posLabel 1)
 * console.log(precision([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], { average: 'none' }));
 * // [0.6666666666666666, 0, 0]
 * ```
 * @throws {EvalMetricsError} as {@link precisionRecallFscoreSupport}.
 * `INVALID_ARGUMENT` (argument `options`) for options that are not an object.
 */
export function precision(
  yTrue: LabelInput,
  yPred: LabelInput,
  options: PrecisionRecallOptions & { average: 'none' },
): number[];
export function precision(
  yTrue: LabelInput,
  yPred: LabelInput,
  options?: PrecisionRecallOptions & { average?: Exclude<Average, 'none'> },
): number;
export function precision(
  yTrue: LabelInput,
  yPred: LabelInput,
  options?: PrecisionRecallOptions,
): number | number[];
export function precision(
  yTrue: LabelInput,
  yPred: LabelInput,
  options: PrecisionRecallOptions = {},
): number | number[] {
  checkOptions(options);
  const { average = 'binary', ...rest } = options;
  return computePrfs(yTrue, yPred, { average, ...rest }, ['precision']).precision;
}

/**
 * Recall `tp / (tp + fn)`, as scikit-learn's `sklearn.metrics.recall_score`;
 * `average: 'none'` gives the per-class recall.
 * @example
 * ```ts
 * import { recall } from '@seqlearn/eval-metrics';
 * console.log(recall([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], { average: 'none' })); // [1, 0, 0]
 * console.log(recall([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], { average: 'macro' }));
 * // 0.3333333333333333
 * ```
 * @throws {EvalMetricsError} as {@link precisionRecallFscoreSupport}.
 * `INVALID_ARGUMENT` (argument `options`) for options that are not an object.
 */
export function recall(
  yTrue: LabelInput,
  yPred: LabelInput,
  options: PrecisionRecallOptions & { average: 'none' },
): number[];
export function recall(
  yTrue: LabelInput,
  yPred: LabelInput,
  options?: PrecisionRecallOptions & { average?: Exclude<Average, 'none'> },
): number;
export function recall(
  yTrue: LabelInput,
  yPred: LabelInput,
  options?: PrecisionRecallOptions,
): number | number[];
export function recall(
  yTrue: LabelInput,
  yPred: LabelInput,
  options: PrecisionRecallOptions = {},
): number | number[] {
  checkOptions(options);
  const { average = 'binary', ...rest } = options;
  return computePrfs(yTrue, yPred, { average, ...rest }, ['recall']).recall;
}

/**
 * F-beta score `(1 + β²)·tp / ((1 + β²)·tp + β²·fn + fp)`, as scikit-learn's
 * `sklearn.metrics.fbeta_score`.
 * @example
 * ```ts
 * import { fbeta } from '@seqlearn/eval-metrics';
 * console.log(fbeta([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], { beta: 0.5, average: 'macro' }));
 * // 0.2380952380952381
 * ```
 * @throws {EvalMetricsError} as {@link precisionRecallFscoreSupport}.
 * `INVALID_ARGUMENT` (argument `options`) for options that are not an object.
 */
export function fbeta(
  yTrue: LabelInput,
  yPred: LabelInput,
  options: FbetaOptions & { average: 'none' },
): number[];
export function fbeta(
  yTrue: LabelInput,
  yPred: LabelInput,
  options: FbetaOptions & { average?: Exclude<Average, 'none'> },
): number;
export function fbeta(
  yTrue: LabelInput,
  yPred: LabelInput,
  options: FbetaOptions,
): number | number[];
export function fbeta(
  yTrue: LabelInput,
  yPred: LabelInput,
  options: FbetaOptions,
): number | number[] {
  checkOptions(options);
  const { average = 'binary', ...rest } = options ?? ({} as FbetaOptions);
  return computePrfs(yTrue, yPred, { average, ...rest }, ['f-score']).fScore;
}

/**
 * F1 score, the harmonic mean of precision and recall, as scikit-learn's `sklearn.metrics.f1_score`.
 * @example
 * ```ts
 * import { f1 } from '@seqlearn/eval-metrics';
 * console.log(f1([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], { average: 'macro' })); // 0.26666666666666666
 * ```
 * @throws {EvalMetricsError} as {@link precisionRecallFscoreSupport}.
 * `INVALID_ARGUMENT` (argument `options`) for options that are not an object.
 */
export function f1(
  yTrue: LabelInput,
  yPred: LabelInput,
  options: PrecisionRecallOptions & { average: 'none' },
): number[];
export function f1(
  yTrue: LabelInput,
  yPred: LabelInput,
  options?: PrecisionRecallOptions & { average?: Exclude<Average, 'none'> },
): number;
export function f1(
  yTrue: LabelInput,
  yPred: LabelInput,
  options?: PrecisionRecallOptions,
): number | number[];
export function f1(
  yTrue: LabelInput,
  yPred: LabelInput,
  options: PrecisionRecallOptions = {},
): number | number[] {
  checkOptions(options);
  const { average = 'binary', ...rest } = options;
  return computePrfs(yTrue, yPred, { average, beta: 1, ...rest }, ['f-score']).fScore;
}
