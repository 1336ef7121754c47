import { EvalMetricsError } from './errors';
import type { Label, LabelInput, NumericInput } from './tensor-like';
import { checkNotEmpty, checkSameLength, toLabels, toSampleWeight } from './to-array';

/** Checked classification targets, with each sample's row (true) and column (pred) index. */
export interface ClassificationData {
  yTrue: Label[];
  yPred: Label[];
  /** The labels indexing rows and columns: the given `labels`, else the sorted union. */
  labels: Label[];
  labelsGiven: boolean;
  trueIndex: Int32Array;
  predIndex: Int32Array;
  weights: number[] | undefined;
}

/** Sorts labels as numpy's `np.unique` does: numbers ascending, strings by code unit. */
export function sortLabels(labels: Label[]): Label[] {
  return labels.sort((a, b) =>
    typeof a === 'number' && typeof b === 'number' ? a - b : a < b ? -1 : a > b ? 1 : 0,
  );
}

/** The sorted distinct labels of all arrays (scikit-learn's `unique_labels`). */
export function uniqueLabels(...arrays: Label[][]): Label[] {
  const seen = new Set<Label>();
  for (const a of arrays) for (const v of a) seen.add(v);
  return sortLabels([...seen]);
}

function kindOf(labels: Label[]): 'number' | 'string' | undefined {
  return labels.length === 0 ? undefined : typeof labels[0] === 'number' ? 'number' : 'string';
}

/** Throws `INVALID_VALUE` when two label arrays mix numbers and strings. */
export function checkSameKind(a: Label[], b: Label[], nameA: string, nameB: string): void {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka !== undefined && kb !== undefined && ka !== kb) {
    throw new EvalMetricsError({
      code: 'INVALID_VALUE',
      argument: nameB,
      message: `${nameB}: expected ${ka} labels like ${nameA}, got ${kb} labels`,
    });
  }
}

/** Reads a `labels` option: distinct values of one type, at least one. */
export function readLabelsOption(labels: LabelInput, argument = 'labels'): Label[] {
  const out = toLabels(labels, argument);
  checkNotEmpty(out, argument);
  const seen = new Set<Label>();
  for (const v of out) {
    if (seen.has(v)) {
      throw new EvalMetricsError({
        code: 'INVALID_ARGUMENT',
        argument,
        message: `${argument}: expected distinct labels, got ${JSON.stringify(v)} twice`,
      });
    }
    seen.add(v);
  }
  return out;
}

/** Maps each label to its position in `labels`, or throws `UNKNOWN_LABEL`. */
export function indexLabels(values: Label[], labels: Label[], argument: string): Int32Array {
  const position = new Map<Label, number>();
  labels.forEach((label, i) => {
    position.set(label, i);
  });
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const p = position.get(values[i]);
    if (p === undefined) {
      throw new EvalMetricsError({
        code: 'UNKNOWN_LABEL',
        argument,
        message: `${argument}: expected labels among ${JSON.stringify(labels.length > 20 ? [...labels.slice(0, 20), '…'] : labels)}, got ${JSON.stringify(values[i])} at index ${i}`,
      });
    }
    out[i] = p;
  }
  return out;
}

/**
 * Reads and checks `yTrue`/`yPred` (same length, not empty, one label type) and the optional
 * `labels` and `sampleWeight`. Every label of `yTrue` and `yPred` must be among `labels` when
 * they are given (scikit-learn instead drops such samples silently in some metrics).
 */
export function prepareClassification(
  yTrueInput: LabelInput,
  yPredInput: LabelInput,
  {
    labels,
    sampleWeight,
    trueName = 'yTrue',
    predName = 'yPred',
  }: { labels?: LabelInput; sampleWeight?: NumericInput; trueName?: string; predName?: string },
): ClassificationData {
  const yTrue = toLabels(yTrueInput, trueName);
  const yPred = toLabels(yPredInput, predName);
  checkSameLength(yTrue, yPred, trueName, predName);
  checkNotEmpty(yTrue, trueName);
  checkSameKind(yTrue, yPred, trueName, predName);
  const weights = toSampleWeight(sampleWeight, yTrue.length);
  let resolved: Label[];
  const labelsGiven = labels !== undefined;
  if (labels !== undefined) {
    resolved = readLabelsOption(labels);
    checkSameKind(yTrue, resolved, trueName, 'labels');
  } else {
    resolved = uniqueLabels(yTrue, yPred);
  }
  return {
    yTrue,
    yPred,
    labels: resolved,
    labelsGiven,
    trueIndex: indexLabels(yTrue, resolved, trueName),
    predIndex: indexLabels(yPred, resolved, predName),
    weights,
  };
}

/** The (weighted) count matrix: rows are true labels, columns predicted labels. */
export function confusionCounts(data: ClassificationData): number[][] {
  const n = data.labels.length;
  const m = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const { trueIndex, predIndex, weights } = data;
  for (let i = 0; i < trueIndex.length; i++) {
    m[trueIndex[i]][predIndex[i]] += weights === undefined ? 1 : weights[i];
  }
  return m;
}
