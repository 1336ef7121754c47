import * as tf from '@tensorflow/tfjs';
import { defaultLoss, makeOptimizer } from './compile-model';
import {
  classIndices,
  elementAccuracy,
  elementLosses,
  LOSS_NAMES,
  type LossName,
} from './element-losses';
import type { CompileOptions } from './model-config';
import { mulberry32, permutation } from './random';
import type { RecurrentCell } from './recurrent-cell';
import { TrainingProgress } from './training-progress';
import { unroll } from './unroll';
import { argumentError, checkOneOf, shapeError } from './validate';
import { clipGradients } from './with-gradient-clipping';

/** Inputs and targets: tensors, or nested arrays converted once. */
export interface TrainData {
  x: tf.Tensor | number[] | number[][] | number[][][];
  y: tf.Tensor | number[] | number[][] | number[][][];
}

/** Options of {@link train}'s early stopping; names and defaults follow Keras `EarlyStopping`. */
export interface EarlyStoppingOptions {
  /** Quantity watched. @default 'val_loss' with validation data, else 'loss' */
  monitor?: string;
  /** Epochs without improvement before stopping. @default 0 */
  patience?: number;
  /** Smallest change that counts as an improvement. @default 0 */
  minDelta?: number;
  /** Put back the weights of the best epoch when training ends. @default false */
  restoreBestWeights?: boolean;
}

/** Logs handed to callbacks: the epoch's metrics. */
export type TrainLogs = Record<string, number>;

/** Callbacks of {@link train}; each may be async. Return `false` from `onEpochEnd` to stop. */
export interface TrainCallbacks {
  onTrainBegin?: () => void | Promise<void>;
  onEpochEnd?: (epoch: number, logs: TrainLogs) => void | boolean | Promise<void | boolean>;
  onBatchEnd?: (batch: number, logs: TrainLogs) => void | Promise<void>;
  onTrainEnd?: (history: TrainHistory) => void | Promise<void>;
}

/** Options for {@link train}. */
export interface TrainOptions {
  /** Passes over the data. @default 1 */
  epochs?: number;
  /** Examples per gradient step. @default 32 */
  batchSize?: number;
  /** A tfjs optimizer, or a name made with `learningRate`. @default the model's compiled optimizer, else 'adam' */
  optimizer?: tf.Optimizer | CompileOptions['optimizer'];
  /** Learning rate of a named optimizer. @default Keras' default for that optimizer */
  learningRate?: number;
  /**
   * @default the model's compiled loss if it is one of these, else from its output layer (softmax →
   * 'categoricalCrossentropy', sigmoid → 'binaryCrossentropy', linear → 'meanSquaredError'); for a
   * cell 'meanSquaredError'
   */
  loss?: LossName;
  /** Scale all gradients so that their global norm is at most this (`tf.clip_by_global_norm`). @default none */
  clipNorm?: number;
  /** Clip every gradient element to `[-clipValue, clipValue]` (applied before `clipNorm`). @default none */
  clipValue?: number;
  /**
   * Weight of each class in the loss, by class index (`{ 0: 1, 1: 5 }` or `[1, 5]`), as Keras
   * `class_weight`: the batch loss is `Σ w_class(i) · loss_i / n`. @default every class 1
   */
  classWeight?: Record<number, number> | readonly number[];
  /** Data evaluated after every epoch (`val_loss`, `val_accuracy`). @default none */
  validationData?: TrainData;
  /** Stop when the monitored quantity stops improving. @default off */
  earlyStopping?: boolean | EarlyStoppingOptions;
  /** @default none */
  callbacks?: TrainCallbacks;
  /** Shuffle the examples before every epoch. @default true */
  shuffle?: boolean;
  /**
   * Seed of the shuffling order and of dropout masks: the same seed and weights give the same
   * history, dropout included. While a seeded `train` runs, `Math.random` is replaced by a seeded
   * generator (tfjs seeds its dropout masks from it) and restored when training ends.
   * @default random
   */
  seed?: number;
  /** 0: silent; 1: a progress bar on a terminal, one line per epoch otherwise. @default 1 */
  verbose?: 0 | 1;
}

/** What {@link train} returns: plain JSON. */
export interface TrainHistory {
  /** Indices of the epochs run. */
  epoch: number[];
  /** One array per metric (`loss`, `accuracy`, `val_loss`, `val_accuracy`), one value per epoch. */
  history: Record<string, number[]>;
  params: { epochs: number; batchSize: number; samples: number; steps: number; loss: LossName };
  /** Epoch (0-based) at which early stopping ended training, or null. */
  stoppedEpoch: number | null;
  /** Epoch whose weights the model holds when `restoreBestWeights` put them back, or null. */
  restoredEpoch: number | null;
}

function isCell(m: unknown): m is RecurrentCell {
  return (
    typeof m === 'object' &&
    m !== null &&
    'call' in m &&
    'zeroState' in m &&
    'trainableWeights' in m
  );
}

function toTensor(value: unknown, name: string): tf.Tensor {
  if (value instanceof tf.Tensor) return value;
  if (Array.isArray(value)) return tf.tensor(value as number[]);
  return argumentError(name, 'a tensor or a nested array of numbers', value);
}

function classWeightVector(classWeight: TrainOptions['classWeight']): number[] | undefined {
  if (classWeight === undefined) return undefined;
  const entries: [number, number][] = Array.isArray(classWeight)
    ? classWeight.map((w, i) => [i, w])
    : Object.entries(classWeight).map(([k, w]) => [Number(k), w as number]);
  const vector: number[] = [];
  for (const [k, w] of entries) {
    if (!Number.isInteger(k) || k < 0)
      argumentError('classWeight', 'class indices 0, 1, 2, ...', k);
    if (typeof w !== 'number' || !(w >= 0)) argumentError(`classWeight[${k}]`, 'a number >= 0', w);
    vector[k] = w;
  }
  return Array.from(vector, (w) => w ?? 1);
}

/**
 * Trains a tfjs-layers model or a from-scratch cell ({@link LSTMCell}, {@link BasicRNNCell}) with the
 * options `model.fit` lacks: global-norm gradient clipping, early stopping that restores the best
 * weights, and seeded shuffling, besides epochs, batch size, optimizer, class weights, validation data
 * and callbacks. The loss includes the models' L1/L2 penalties. For a cell, `y` of shape
 * `[batch, outputSize]` is compared with the last step's output and `[batch, steps, outputSize]`
 * with every step's. Returns a JSON-serialisable history.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { createRnnClassifier, train } from '@seqlearn/rnn-models';
 * await tf.setBackend('cpu');
 * const model = createRnnClassifier({ cell: 'gru', units: 8, inputShape: [5, 2], numClasses: 2, seed: 1 });
 * const x = tf.randomNormal([64, 5, 2], 0, 1, 'float32', 2);
 * const y = tf.oneHot(tf.cast(tf.greater(x.sum([1, 2]), 0), 'int32'), 2);
 * const { history } = await train(model, { x, y }, {
 *   epochs: 3, learningRate: 0.01, clipNorm: 1, classWeight: [1, 2], seed: 3, verbose: 0,
 * });
 * console.log(Object.keys(history), history.loss.length); // [ 'loss', 'accuracy' ] 3
 * ```
 * @throws {RnnModelsError} `SHAPE_MISMATCH` when `x` and `y` hold different numbers of examples;
 * `INVALID_ARGUMENT` for a bad option.
 */
export async function train(
  modelOrCell: tf.LayersModel | RecurrentCell,
  data: TrainData,
  options: TrainOptions = {},
): Promise<TrainHistory> {
  const {
    epochs = 1,
    batchSize = 32,
    clipNorm,
    clipValue,
    validationData,
    callbacks = {},
    shuffle = true,
    seed,
    verbose = 1,
  } = options;
  if (!Number.isInteger(epochs) || epochs < 1)
    argumentError('epochs', 'a positive integer', epochs);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    argumentError('batchSize', 'a positive integer', batchSize);
  if (seed !== undefined && !Number.isInteger(seed)) argumentError('seed', 'an integer', seed);
  const cell = isCell(modelOrCell) ? modelOrCell : undefined;
  const model = cell ? undefined : (modelOrCell as tf.LayersModel);
  if (
    !cell &&
    !(model && typeof (model as tf.LayersModel).apply === 'function' && 'trainableWeights' in model)
  ) {
    argumentError(
      'modelOrCell',
      'a tf.LayersModel or a cell (BasicRNNCell, LSTMCell)',
      modelOrCell,
    );
  }

  // Loss and optimizer
  const compiledLoss = typeof model?.loss === 'string' ? model.loss : undefined;
  const lossName = checkOneOf(
    options.loss ??
      (cell
        ? 'meanSquaredError'
        : compiledLoss && (LOSS_NAMES as readonly string[]).includes(compiledLoss)
          ? compiledLoss
          : defaultLoss(model!)),
    LOSS_NAMES,
    'loss',
  ) as LossName;
  const optimizer =
    typeof options.optimizer === 'object' && options.optimizer !== null
      ? (options.optimizer as tf.Optimizer)
      : options.optimizer === undefined && options.learningRate === undefined && model?.optimizer
        ? model.optimizer
        : makeOptimizer(options.optimizer as CompileOptions['optimizer'], options.learningRate);
  const weights = classWeightVector(options.classWeight);
  const isClassifier = lossName !== 'meanSquaredError' && lossName !== 'meanAbsoluteError';

  const x = toTensor(data?.x, 'data.x');
  const y = toTensor(data?.y, 'data.y');
  const n = x.shape[0];
  const val = validationData
    ? {
        x: toTensor(validationData.x, 'validationData.x'),
        y: toTensor(validationData.y, 'validationData.y'),
      }
    : undefined;
  const release = () => {
    if (!(data.x instanceof tf.Tensor)) x.dispose();
    if (!(data.y instanceof tf.Tensor)) y.dispose();
    if (val && validationData && !(validationData.x instanceof tf.Tensor)) val.x.dispose();
    if (val && validationData && !(validationData.y instanceof tf.Tensor)) val.y.dispose();
  };
  if (y.shape[0] !== n) {
    release();
    shapeError('data.y', `${n} examples like data.x`, `${y.shape[0]} (shape [${y.shape}])`);
  }
  if (val && val.x.shape[0] !== val.y.shape[0]) {
    release();
    shapeError(
      'validationData.y',
      `${val.x.shape[0]} examples like validationData.x`,
      val.y.shape[0],
    );
  }

  const fixedBatch = model?.inputs[0].shape[0];
  if (fixedBatch != null && (batchSize !== fixedBatch || n % fixedBatch !== 0)) {
    release();
    argumentError(
      'batchSize',
      `${fixedBatch} (the model's fixed batch size, e.g. a stateful model) dividing the ${n} examples`,
      batchSize,
    );
  }
  const variables: tf.Variable[] = cell
    ? cell.trainableWeights
    : model!.trainableWeights.map((w) => w.read() as tf.Variable);
  const forward = (xb: tf.Tensor, training: boolean, yRank: number): tf.Tensor => {
    if (cell) {
      const { outputs } = unroll(cell, xb as tf.Tensor3D);
      if (yRank === 3) return outputs;
      const [b, steps, size] = outputs.shape;
      return outputs.slice([0, steps - 1, 0], [b, 1, size]).reshape([b, size]);
    }
    return model!.apply(xb, { training }) as tf.Tensor;
  };
  const predictionFor = (xb: tf.Tensor, yb: tf.Tensor, training: boolean) =>
    forward(xb, training, lossName === 'sparseCategoricalCrossentropy' ? yb.rank + 1 : yb.rank);
  const penalties = (): tf.Scalar[] =>
    model ? model.layers.flatMap((l) => l.calculateLosses()) : [];
  const weightedMean = (yb: tf.Tensor, pred: tf.Tensor): tf.Scalar =>
    tf.tidy(() => {
      const losses = elementLosses(lossName, yb, pred);
      if (!weights) return tf.mean(losses) as tf.Scalar;
      const idx = tf.cast(classIndices(lossName, yb, pred), 'int32');
      const w = tf.gather(
        tf.tensor1d(weights),
        tf.minimum(idx, tf.scalar(weights.length - 1, 'int32')),
      );
      return tf.div(tf.sum(tf.mul(losses, w)), losses.size) as tf.Scalar;
    });

  const stopping = options.earlyStopping
    ? {
        monitor: val ? 'val_loss' : 'loss',
        patience: 0,
        minDelta: 0,
        restoreBestWeights: false,
        ...(options.earlyStopping === true ? {} : options.earlyStopping),
      }
    : undefined;
  const steps = Math.ceil(n / batchSize);
  const progress = new TrainingProgress(epochs, steps, verbose === 1);
  const random = mulberry32(seed ?? Math.floor(Math.random() * 2 ** 32));
  const history: TrainHistory = {
    epoch: [],
    history: {},
    params: { epochs, batchSize, samples: n, steps, loss: lossName },
    stoppedEpoch: null,
    restoredEpoch: null,
  };
  let best = {
    value: Number.POSITIVE_INFINITY,
    epoch: -1,
    weights: undefined as tf.Tensor[] | undefined,
  };
  let wait = 0;
  await callbacks.onTrainBegin?.();
  // tfjs draws dropout and recurrent-dropout masks from unseeded generators that take their seed
  // from Math.random; a seeded Math.random for the duration of training makes them repeat too.
  const mathRandom = Math.random;
  if (seed !== undefined) Math.random = mulberry32(seed ^ 0x5bd1e995);

  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      const started = Date.now();
      const order = shuffle ? permutation(n, random) : Array.from({ length: n }, (_, i) => i);
      let lossSum = 0;
      let accSum = 0;
      for (let b = 0; b < steps; b++) {
        const idx = tf.tensor1d(order.slice(b * batchSize, (b + 1) * batchSize), 'int32');
        const xb = tf.gather(x, idx);
        const yb = tf.gather(y, idx);
        let accuracy: tf.Tensor | undefined;
        const { value, grads } = tf.variableGrads(() => {
          const pred = predictionFor(xb, yb, true);
          if (isClassifier) accuracy = tf.keep(tf.mean(elementAccuracy(lossName, yb, pred)));
          const base = weightedMean(yb, pred);
          const extra = penalties();
          return (extra.length ? tf.addN([base, ...extra]) : base) as tf.Scalar;
        }, variables);
        const names = Object.keys(grads);
        const clipped = clipGradients(
          names.map((k) => grads[k]),
          { clipNorm, clipValue },
        );
        optimizer.applyGradients(Object.fromEntries(names.map((k, i) => [k, clipped[i]])));
        const batchLoss = value.dataSync()[0];
        const rows = idx.shape[0];
        lossSum += batchLoss * rows;
        if (accuracy) accSum += accuracy.dataSync()[0] * rows;
        tf.dispose([idx, xb, yb, value, ...Object.values(grads), ...clipped]);
        if (accuracy) accuracy.dispose();
        progress.batch(epoch, b, lossSum / Math.min(n, (b + 1) * batchSize));
        await callbacks.onBatchEnd?.(b, { loss: batchLoss });
      }
      const logs: TrainLogs = { loss: lossSum / n };
      if (isClassifier) logs.accuracy = accSum / n;
      if (val)
        Object.assign(logs, evaluateOn(val, batchSize, lossName, isClassifier, predictionFor));
      history.epoch.push(epoch);
      for (const [k, v] of Object.entries(logs)) {
        history.history[k] ??= [];
        history.history[k].push(v);
      }
      progress.epoch(epoch, logs, (Date.now() - started) / 1000);
      const proceed = await callbacks.onEpochEnd?.(epoch, logs);
      let stop = proceed === false;

      if (stopping) {
        const current = logs[stopping.monitor];
        if (current === undefined) {
          argumentError(
            'earlyStopping.monitor',
            `one of ${Object.keys(logs).join(', ')}`,
            stopping.monitor,
          );
        }
        const higherIsBetter = /acc/.test(stopping.monitor);
        const score = higherIsBetter ? -current : current;
        if (score < best.value - stopping.minDelta) {
          tf.dispose(best.weights ?? []);
          best = {
            value: score,
            epoch,
            weights: stopping.restoreBestWeights ? variables.map((v) => v.clone()) : undefined,
          };
          wait = 0;
        } else {
          wait += 1;
          if (wait > stopping.patience) {
            history.stoppedEpoch = epoch;
            stop = true;
          }
        }
      }
      if (stop) break;
    }
    if (stopping?.restoreBestWeights && best.weights && best.epoch !== history.epoch.at(-1)) {
      variables.forEach((v, i) => {
        v.assign(best.weights![i]);
      });
      history.restoredEpoch = best.epoch;
      progress.message(`Restored the weights of epoch ${best.epoch + 1}.`);
    }
  } finally {
    Math.random = mathRandom;
    tf.dispose(best.weights ?? []);
    release();
  }
  await callbacks.onTrainEnd?.(history);
  return history;
}

function evaluateOn(
  val: { x: tf.Tensor; y: tf.Tensor },
  batchSize: number,
  lossName: LossName,
  isClassifier: boolean,
  predictionFor: (xb: tf.Tensor, yb: tf.Tensor, training: boolean) => tf.Tensor,
): TrainLogs {
  const n = val.x.shape[0];
  let lossSum = 0;
  let accSum = 0;
  let count = 0;
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    tf.tidy(() => {
      const xb = val.x.slice(start, size);
      const yb = val.y.slice(start, size);
      const pred = predictionFor(xb, yb, false);
      const losses = elementLosses(lossName, yb, pred);
      const perElement = losses.size;
      lossSum += tf.sum(losses).dataSync()[0];
      if (isClassifier) accSum += tf.sum(elementAccuracy(lossName, yb, pred)).dataSync()[0];
      count += perElement;
    });
  }
  const logs: TrainLogs = { val_loss: lossSum / count };
  if (isClassifier) logs.val_accuracy = accSum / count;
  return logs;
}
