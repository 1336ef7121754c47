import { EvalMetricsError } from './errors';
import { toDense } from './to-array';

/** Flat predicted and true labels of a sequence task, with the shape of the labels. */
interface SequenceLabels {
  truth: number[];
  pred: number[];
  shape: number[];
}

function checkedNumbers(data: ArrayLike<unknown>, argument: string): number[] {
  const out = new Array<number>(data.length);
  for (let i = 0; i < data.length; i++) {
    let v = data[i];
    if (typeof v === 'boolean') v = v ? 1 : 0;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new EvalMetricsError({
        code: 'INVALID_VALUE',
        argument,
        message: `${argument}: expected finite numbers, got ${String(v)} at flat index ${i}`,
      });
    }
    out[i] = v;
  }
  return out;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Reads labels `yTrue` and predictions `yPred`, which are labels of the same shape or scores with
 * one more trailing axis (reduced by argmax, first maximum wins). A trailing axis of size 1 on
 * `yTrue` (Keras' `[n, steps, 1]` sparse targets) is dropped.
 */
export function sequenceLabels(yTrue: unknown, yPred: unknown): SequenceLabels {
  const t = toDense(yTrue, 'yTrue');
  const p = toDense(yPred, 'yPred');
  let tShape = t.shape;
  if (tShape.length > 1 && tShape[tShape.length - 1] === 1 && !sameShape(tShape, p.shape)) {
    tShape = tShape.slice(0, -1);
  }
  const truth = checkedNumbers(t.data, 'yTrue');
  const raw = checkedNumbers(p.data, 'yPred');
  let pred: number[];
  if (sameShape(tShape, p.shape)) {
    pred = raw;
  } else if (p.shape.length === tShape.length + 1 && sameShape(tShape, p.shape.slice(0, -1))) {
    const c = p.shape[p.shape.length - 1];
    pred = new Array(truth.length);
    for (let i = 0; i < truth.length; i++) {
      let best = 0;
      for (let j = 1; j < c; j++) if (raw[i * c + j] > raw[i * c + best]) best = j;
      pred[i] = best;
    }
  } else {
    throw new EvalMetricsError({
      code: 'LENGTH_MISMATCH',
      argument: 'yPred',
      message: `yPred: expected shape [${tShape.join(', ')}] (labels) or [${[...tShape, 'classes'].join(', ')}] (scores) to match yTrue, got [${p.shape.join(', ')}]`,
    });
  }
  if (truth.length === 0) {
    throw new EvalMetricsError({
      code: 'EMPTY_INPUT',
      argument: 'yTrue',
      message: 'yTrue: expected at least one element, got an empty input',
    });
  }
  return { truth, pred, shape: tShape };
}

function fraction(s: SequenceLabels, include: (flat: number) => boolean, what: string): number {
  let hits = 0;
  let total = 0;
  for (let i = 0; i < s.truth.length; i++) {
    if (!include(i)) continue;
    total++;
    if (s.truth[i] === s.pred[i]) hits++;
  }
  if (total === 0) {
    throw new EvalMetricsError({
      code: 'EMPTY_INPUT',
      argument: what,
      message: `${what}: expected at least one position to grade, got none`,
    });
  }
  return hits / total;
}

/**
 * Accuracy over the positions where `mask` is non-zero, for tasks graded on part of each output
 * sequence (padding left out, only answer positions counted).
 * @param yTrue labels, e.g. `[n, steps]`
 * @param yPred labels of the same shape, or scores `[n, steps, classes]` (argmax taken)
 * @param mask same shape as `yTrue`; 1 (or `true`) grades the position, 0 skips it
 * @example
 * ```ts
 * import { maskedAccuracy } from '@seqlearn/eval-metrics';
 * console.log(maskedAccuracy([[1, 2, 0], [3, 3, 0]], [[1, 1, 2], [3, 3, 3]], [[1, 1, 0], [1, 1, 0]])); // 0.75
 * ```
 * @throws {EvalMetricsError} `LENGTH_MISMATCH` (shapes differ), `EMPTY_INPUT` (empty, or the mask
 * selects nothing), `INVALID_VALUE` (NaN).
 */
export function maskedAccuracy(yTrue: unknown, yPred: unknown, mask: unknown): number {
  const s = sequenceLabels(yTrue, yPred);
  const m = toDense(mask, 'mask');
  if (!sameShape(m.shape, s.shape)) {
    throw new EvalMetricsError({
      code: 'LENGTH_MISMATCH',
      argument: 'mask',
      message: `mask: expected shape [${s.shape.join(', ')}] to match yTrue, got [${m.shape.join(', ')}]`,
    });
  }
  const weights = checkedNumbers(m.data, 'mask');
  return fraction(s, (i) => weights[i] !== 0, 'mask');
}

/**
 * Accuracy over the last `k` steps of each sequence (the memory task grades the last `k`
 * outputs). The last axis of `yTrue` is the time axis: `[n, steps]`, or `[steps]` for one sequence.
 * @param yTrue labels `[n, steps]`
 * @param yPred labels of the same shape, or scores `[n, steps, classes]` (argmax taken)
 * @param k number of final steps graded, `1 <= k <= steps`
 * @example
 * ```ts
 * import { lastKAccuracy } from '@seqlearn/eval-metrics';
 * console.log(lastKAccuracy([[0, 0, 1, 2], [0, 0, 3, 4]], [[9, 9, 1, 2], [9, 9, 3, 0]], 2)); // 0.75
 * ```
 * @throws {EvalMetricsError} `INVALID_ARGUMENT` (bad `k`), `LENGTH_MISMATCH`, `EMPTY_INPUT`,
 * `INVALID_VALUE`.
 */
export function lastKAccuracy(yTrue: unknown, yPred: unknown, k: number): number {
  const s = sequenceLabels(yTrue, yPred);
  const steps = s.shape[s.shape.length - 1];
  if (!Number.isInteger(k) || k < 1 || k > steps) {
    throw new EvalMetricsError({
      code: 'INVALID_ARGUMENT',
      argument: 'k',
      message: `k: expected an integer in [1, ${steps}] (the number of steps), got ${k}`,
    });
  }
  return fraction(s, (i) => i % steps >= steps - k, 'k');
}
