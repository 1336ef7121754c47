import { accuracy } from './accuracy';
import { balancedAccuracy } from './balanced-accuracy';
import { cohenKappa } from './cohen-kappa';
import { EvalMetricsError } from './errors';
import { logLoss } from './log-loss';
import { matthewsCorrcoef } from './matthews-corrcoef';
import { computePrfs } from './precision-recall-fscore-support';
import type { TensorLike } from './tensor-like';
import { toDense } from './to-array';

/** Outputs of the model on the validation data, handed to each metric. */
export interface ValidationOutputs {
  /** True class of each graded position (argmax of one-hot targets), flattened. */
  yTrue: number[];
  /** Predicted class of each position (argmax of the scores; `score > 0.5` for one sigmoid unit). */
  yPred: number[];
  /** Score rows `[positions, classes]` (a single sigmoid unit becomes `[1 - p, p]`). */
  yScore: number[][];
  /** Shape of the labels before flattening: `[n]`, or `[n, steps]` for sequence outputs. */
  shape: number[];
  /** Number of classes (score columns). */
  numClasses: number;
}

/** A metric of the validation outputs; its value is written to the logs. */
export type ValidationMetricFn = (outputs: ValidationOutputs) => number;

/**
 * Built-in metrics, named as they appear in the logs after `prefix`. Averaged scores use
 * `labels` 0…C-1 and `zeroDivision: 0`, so classes missing from a small validation set neither
 * warn every epoch nor change the label set.
 */
export type BuiltinValidationMetric =
  | 'accuracy'
  | 'balanced_accuracy'
  | 'macro_f1'
  | 'weighted_f1'
  | 'micro_f1'
  | 'macro_precision'
  | 'macro_recall'
  | 'cohen_kappa'
  | 'matthews_corrcoef'
  | 'log_loss';

/** The part of a tfjs `LayersModel` the callback uses. */
export interface PredictingModel {
  predict(x: never, args?: { batchSize?: number }): TensorLike | TensorLike[];
}

/** Options for {@link validationMetricsCallback}. */
export interface ValidationMetricsCallbackOptions {
  /** The model being trained (a tfjs `LayersModel`). */
  model: PredictingModel;
  /** Validation inputs and targets: `[x, y]` with `y` class indices `[n]` or one-hot `[n, C]` (or `[n, steps(, C)]`). */
  validationData: readonly [unknown, unknown];
  /** Metrics to compute: built-in names and/or `{ name: fn }` entries. */
  metrics: ReadonlyArray<BuiltinValidationMetric | Readonly<Record<string, ValidationMetricFn>>>;
  /** Batch size for `model.predict`. @default 32 */
  batchSize?: number;
  /** Prefix of the log keys, as Keras names validation metrics. @default 'val_' */
  prefix?: string;
}

/** The callback object: it fits tfjs' `CustomCallbackArgs`, so pass it in `fit({ callbacks })`. */
export interface ValidationMetricsCallback {
  onEpochEnd(epoch: number, logs?: Record<string, number>): Promise<void>;
}

const BUILTINS: Record<BuiltinValidationMetric, ValidationMetricFn> = {
  accuracy: (o) => accuracy(o.yTrue, o.yPred),
  balanced_accuracy: (o) => balancedAccuracy(o.yTrue, o.yPred),
  macro_f1: (o) => averaged(o, 'macro', 'fScore'),
  weighted_f1: (o) => averaged(o, 'weighted', 'fScore'),
  micro_f1: (o) => averaged(o, 'micro', 'fScore'),
  macro_precision: (o) => averaged(o, 'macro', 'precision'),
  macro_recall: (o) => averaged(o, 'macro', 'recall'),
  cohen_kappa: (o) => cohenKappa(o.yTrue, o.yPred, { labels: range(o.numClasses) }),
  matthews_corrcoef: (o) => matthewsCorrcoef(o.yTrue, o.yPred),
  log_loss: (o) => logLoss(o.yTrue, o.yScore, { labels: range(o.numClasses) }),
};

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function averaged(
  o: ValidationOutputs,
  average: 'macro' | 'weighted' | 'micro',
  field: 'precision' | 'recall' | 'fScore',
): number {
  const r = computePrfs(
    o.yTrue,
    o.yPred,
    { average, labels: range(o.numClasses), zeroDivision: 0 },
    [],
  );
  return r[field] as number;
}

function argmaxRows(data: ArrayLike<number>, c: number): number[] {
  const out = new Array<number>(data.length / c);
  for (let i = 0; i < out.length; i++) {
    let best = 0;
    for (let j = 1; j < c; j++) if (data[i * c + j] > data[i * c + best]) best = j;
    out[i] = best;
  }
  return out;
}

/** Turns model scores and targets into {@link ValidationOutputs}. */
export function validationOutputs(scores: TensorLike, y: unknown): ValidationOutputs {
  const shape = [...scores.shape];
  const data = Array.from(scores.dataSync() as ArrayLike<number>, Number);
  const c = shape[shape.length - 1];
  const labelShape = shape.slice(0, -1);
  const positions = data.length / c;
  const yScore: number[][] = new Array(positions);
  for (let i = 0; i < positions; i++) {
    yScore[i] = c === 1 ? [1 - data[i], data[i]] : data.slice(i * c, (i + 1) * c);
  }
  const yPred = c === 1 ? data.map((p) => (p > 0.5 ? 1 : 0)) : argmaxRows(data, c);
  const t = toDense(y, 'validationData[1]');
  const tData = Array.from(t.data as ArrayLike<number>, Number);
  let yTrue: number[];
  if (t.shape.length === shape.length && c > 1 && t.shape[t.shape.length - 1] === c) {
    yTrue = argmaxRows(tData, c);
  } else if (t.data.length === positions) {
    yTrue = tData.map((v) => (c === 1 ? (v > 0.5 ? 1 : 0) : v));
  } else {
    throw new EvalMetricsError({
      code: 'LENGTH_MISMATCH',
      argument: 'validationData',
      message: `validationData: expected targets of shape [${labelShape.join(', ')}] or [${shape.join(', ')}] to match the model output, got [${t.shape.join(', ')}]`,
    });
  }
  return { yTrue, yPred, yScore, shape: labelShape, numClasses: c === 1 ? 2 : c };
}

/**
 * A tfjs training callback that, at the end of each epoch, predicts the validation data, computes
 * the chosen metrics (for example macro F1 and balanced accuracy, which Keras does not offer) and
 * writes them into the epoch logs, so that they land in the `History` that `model.fit` returns
 * and in every later callback (early stopping can monitor them). It is a plain object fitting
 * tfjs' `CustomCallbackArgs`; this package does not import tfjs.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { validationMetricsCallback } from '@seqlearn/eval-metrics';
 * const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 3, activation: 'softmax' })] });
 * model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
 * const x = tf.randomNormal([30, 2], 0, 1, 'float32', 1);
 * const y = tf.tensor1d(Array.from({ length: 30 }, (_, i) => i % 3));
 * const history = await model.fit(x, y, { epochs: 2, verbose: 0, callbacks: [
 *   validationMetricsCallback({ model, validationData: [x, y], metrics: ['macro_f1', 'balanced_accuracy'] }),
 * ] });
 * console.log(Object.keys(history.history)); // ['loss', 'val_macro_f1', 'val_balanced_accuracy']
 * ```
 * @throws {EvalMetricsError} `INVALID_ARGUMENT` for an unknown built-in metric name, a custom
 * metric that is not a function, or `validationData` that is not `[x, y]` (at creation);
 * `LENGTH_MISMATCH` when the targets do not match the model output (at the first epoch end).
 */
export function validationMetricsCallback(
  options: ValidationMetricsCallbackOptions,
): ValidationMetricsCallback {
  if (typeof options !== 'object' || options === null) {
    throw new EvalMetricsError({
      code: 'INVALID_ARGUMENT',
      argument: 'options',
      message: `options: expected { model, validationData, metrics }, got ${options === null ? 'null' : typeof options}`,
    });
  }
  const { model, validationData, metrics, batchSize = 32, prefix = 'val_' } = options;
  if (!Array.isArray(validationData) || validationData.length !== 2) {
    throw new EvalMetricsError({
      code: 'INVALID_ARGUMENT',
      argument: 'validationData',
      message: `validationData: expected [x, y], got ${Array.isArray(validationData) ? `an array of length ${validationData.length}` : validationData === null ? 'null' : typeof validationData}`,
    });
  }
  if (!Array.isArray(metrics)) {
    throw new EvalMetricsError({
      code: 'INVALID_ARGUMENT',
      argument: 'metrics',
      message: `metrics: expected an array of built-in names and/or { name: fn } entries, got ${metrics === null ? 'null' : typeof metrics}`,
    });
  }
  const entries: [string, ValidationMetricFn][] = [];
  for (const metric of metrics) {
    if (typeof metric === 'string') {
      // Own keys only: 'toString' or 'constructor' are not built-in metrics.
      const fn = Object.hasOwn(BUILTINS, metric)
        ? BUILTINS[metric as BuiltinValidationMetric]
        : undefined;
      if (fn === undefined) {
        throw new EvalMetricsError({
          code: 'INVALID_ARGUMENT',
          argument: 'metrics',
          message: `metrics: expected built-in names among ${Object.keys(BUILTINS).join(', ')} or { name: fn } entries, got ${JSON.stringify(metric)}`,
        });
      }
      entries.push([metric, fn]);
    } else if (typeof metric === 'object' && metric !== null) {
      for (const [name, fn] of Object.entries(metric as Readonly<Record<string, unknown>>)) {
        if (typeof fn !== 'function') {
          throw new EvalMetricsError({
            code: 'INVALID_ARGUMENT',
            argument: 'metrics',
            message: `metrics: expected a function for the custom metric ${JSON.stringify(name)}, got ${fn === null ? 'null' : typeof fn}`,
          });
        }
        entries.push([name, fn as ValidationMetricFn]);
      }
    } else {
      throw new EvalMetricsError({
        code: 'INVALID_ARGUMENT',
        argument: 'metrics',
        message: `metrics: expected built-in names or { name: fn } entries, got ${metric === null ? 'null' : typeof metric}`,
      });
    }
  }
  if (typeof model?.predict !== 'function') {
    throw new EvalMetricsError({
      code: 'INVALID_ARGUMENT',
      argument: 'model',
      message: 'model: expected a tfjs model with a predict method',
    });
  }
  return {
    async onEpochEnd(_epoch, logs) {
      const out = model.predict(validationData[0] as never, { batchSize });
      const scores = Array.isArray(out) ? out[0] : out;
      let outputs: ValidationOutputs;
      try {
        outputs = validationOutputs(scores, validationData[1]);
      } finally {
        for (const t of Array.isArray(out) ? out : [out]) {
          (t as { dispose?: () => void }).dispose?.();
        }
      }
      if (logs === undefined) return;
      for (const [name, fn] of entries) logs[`${prefix}${name}`] = fn(outputs);
    },
  };
}
