import { prepareClassification, uniqueLabels } from './classification-input';
import { EvalMetricsError } from './errors';
import { numpySum } from './numpy-sum';
import { checkOptions } from './options';
import {
  computePrfs,
  type PrecisionRecallFscoreSupportPerClass,
  type ZeroDivision,
} from './precision-recall-fscore-support';
import { formatFixed } from './python-format';
import type { LabelInput, NumericInput } from './tensor-like';

/** Options for {@link classificationReport}; names and defaults follow scikit-learn `classification_report`. */
export interface ClassificationReportOptions {
  /**
   * Labels to report, in row order; every label in the data must be among them.
   * @default the sorted union of the labels in `yTrue` and `yPred`
   */
  labels?: LabelInput;
  /** Display name of each label, in the order of `labels`. @default the labels as text */
  targetNames?: readonly string[];
  /** Weight of each sample. @default every sample weighs 1 */
  sampleWeight?: NumericInput;
  /** Digits of the floating-point values in the text form (the dict form is not rounded). @default 2 */
  digits?: number;
  /** Return the `output_dict` form instead of text. @default false */
  outputDict?: boolean;
  /** Value of an ill-defined score, as in {@link precisionRecallFscoreSupport}. @default 'warn' */
  zeroDivision?: ZeroDivision;
}

/** Scores of one row of a {@link ClassificationReportDict}. */
export interface ClassificationReportRow {
  precision: number;
  recall: number;
  'f1-score': number;
  support: number;
}

/**
 * scikit-learn's `output_dict` form: one row per target name, then `accuracy` (a number), `macro
 * avg` and `weighted avg`. When the given `labels` differ from those present, `micro avg` (a row)
 * replaces `accuracy`, as in scikit-learn. The object has no prototype (`Object.create(null)`), so
 * a class named `__proto__`, `constructor` or `toString` is a row like any other.
 */
export type ClassificationReportDict = Record<string, ClassificationReportRow | number> & {
  accuracy?: number;
  'micro avg'?: ClassificationReportRow;
  'macro avg': ClassificationReportRow;
  'weighted avg': ClassificationReportRow;
};

/** Python's `'{:>9}'.format(support)`: an integer, or a float as Python prints it. */
function formatSupport(value: number, weighted: boolean): string {
  if (!weighted) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return `${value}.0`;
  return String(value);
}

/**
 * Per-class precision, recall, F1 and support with their accuracy, macro and weighted averages,
 * laid out exactly as scikit-learn's `sklearn.metrics.classification_report` (text), or as its
 * `output_dict` object with `outputDict: true`.
 * @example
 * ```ts
 * import { classificationReport } from '@seqlearn/eval-metrics';
 * console.log(classificationReport([0, 1, 2, 2, 2], [0, 0, 2, 2, 1], { targetNames: ['class 0', 'class 1', 'class 2'] }));
 * //               precision    recall  f1-score   support
 * //
 * //      class 0       0.50      1.00      0.67         1
 * //      class 1       0.00      0.00      0.00         1
 * //      class 2       1.00      0.67      0.80         3
 * //
 * //     accuracy                           0.60         5
 * //    macro avg       0.50      0.56      0.49         5
 * // weighted avg       0.70      0.60      0.61         5
 * ```
 * @throws {EvalMetricsError} `INVALID_ARGUMENT` when `targetNames` does not match the labels or
 * `digits` is not an integer in [0, 100], when (with `outputDict`) two rows would share a key (the
 * same name twice, or a name such as `'macro avg'` that is also a summary row: scikit-learn
 * silently keeps only the last), and the errors of {@link precisionRecallFscoreSupport}.
 * `INVALID_ARGUMENT` (argument `options`) for options that are not an object.
 */
export function classificationReport(
  yTrue: LabelInput,
  yPred: LabelInput,
  options: ClassificationReportOptions & { outputDict: true },
): ClassificationReportDict;
export function classificationReport(
  yTrue: LabelInput,
  yPred: LabelInput,
  options?: ClassificationReportOptions & { outputDict?: false },
): string;
export function classificationReport(
  yTrue: LabelInput,
  yPred: LabelInput,
  options?: ClassificationReportOptions,
): string | ClassificationReportDict;
export function classificationReport(
  yTrue: LabelInput,
  yPred: LabelInput,
  options: ClassificationReportOptions = {},
): string | ClassificationReportDict {
  checkOptions(options);
  const {
    labels,
    targetNames,
    sampleWeight,
    digits = 2,
    outputDict = false,
    zeroDivision = 'warn',
  } = options;
  // toFixed takes at most 100 digits: more was a RangeError
  if (!Number.isInteger(digits) || digits < 0 || digits > 100) {
    throw new EvalMetricsError({
      code: 'INVALID_ARGUMENT',
      argument: 'digits',
      message: `digits: expected an integer in [0, 100], got ${digits}`,
    });
  }
  const data = prepareClassification(yTrue, yPred, { labels, sampleWeight });
  if (targetNames !== undefined && targetNames.length !== data.labels.length) {
    throw new EvalMetricsError({
      code: 'INVALID_ARGUMENT',
      argument: 'targetNames',
      message: `targetNames: expected ${data.labels.length} names, one per label ${JSON.stringify(data.labels)}, got ${targetNames.length}`,
    });
  }
  const names = targetNames ?? data.labels.map(String);
  const common = { labels: data.labels, sampleWeight, zeroDivision };
  const perClass = computePrfs(yTrue, yPred, { ...common, average: 'none' }, [
    'precision',
    'recall',
    'f-score',
  ]) as PrecisionRecallFscoreSupportPerClass;
  const total = numpySum(perClass.support);
  const present = new Set(uniqueLabels(data.yTrue, data.yPred));
  // scikit-learn 1.2: the micro-average row reads 'accuracy' unless the given labels differ
  // from those present.
  const microIsAccuracy =
    !data.labelsGiven ||
    (data.labels.length === present.size && data.labels.every((l) => present.has(l)));
  const averages = (['micro', 'macro', 'weighted'] as const).map((average) => {
    const r = computePrfs(yTrue, yPred, { ...common, average }, ['precision', 'recall', 'f-score']);
    return {
      heading: average === 'micro' && microIsAccuracy ? 'accuracy' : `${average} avg`,
      values: [r.precision as number, r.recall as number, r.fScore as number, total],
    };
  });

  if (outputDict) {
    // No prototype: a label named __proto__ or constructor is an own key like any other.
    const report: Record<string, ClassificationReportRow | number> = Object.create(null);
    const headings = new Set(averages.map((a) => a.heading));
    const seen = new Set<string>();
    for (const name of names) {
      if (seen.has(name) || headings.has(name)) {
        throw new EvalMetricsError({
          code: 'INVALID_ARGUMENT',
          argument: targetNames === undefined ? 'labels' : 'targetNames',
          message: `${targetNames === undefined ? 'labels' : 'targetNames'}: expected row names distinct from each other and from ${[...headings].map((h) => `'${h}'`).join(', ')} for the dict form, got ${JSON.stringify(name)} ${seen.has(name) ? 'twice' : 'as a row name'}`,
        });
      }
      seen.add(name);
    }
    names.forEach((name, i) => {
      report[name] = {
        precision: perClass.precision[i],
        recall: perClass.recall[i],
        'f1-score': perClass.fScore[i],
        support: perClass.support[i],
      };
    });
    for (const { heading, values } of averages) {
      report[heading] =
        heading === 'accuracy'
          ? values[0]
          : { precision: values[0], recall: values[1], 'f1-score': values[2], support: values[3] };
    }
    return report as ClassificationReportDict;
  }

  const weighted = sampleWeight !== undefined;
  const width = Math.max(...names.map((n) => n.length), 'weighted avg'.length, digits);
  const headers = ['precision', 'recall', 'f1-score', 'support'];
  const pad = (s: string, w: number) => s.padStart(w);
  const f = (v: number) => pad(formatFixed(v, digits), 9);
  const row = (name: string, p: number, r: number, f1: number, s: number) =>
    `${pad(name, width)}  ${f(p)} ${f(r)} ${f(f1)} ${pad(formatSupport(s, weighted), 9)}\n`;
  let out = `${pad('', width)}  ${headers.map((h) => pad(h, 9)).join(' ')}\n\n`;
  names.forEach((name, i) => {
    out += row(
      name,
      perClass.precision[i],
      perClass.recall[i],
      perClass.fScore[i],
      perClass.support[i],
    );
  });
  out += '\n';
  for (const { heading, values } of averages) {
    if (heading === 'accuracy') {
      out += `${pad(heading, width)}  ${pad('', 9)} ${pad('', 9)} ${f(values[2])} ${pad(formatSupport(values[3], weighted), 9)}\n`;
    } else {
      out += row(heading, values[0], values[1], values[2], values[3]);
    }
  }
  return out;
}
