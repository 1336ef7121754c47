import * as tf from '@tensorflow/tfjs';
import { defaultLoss, makeOptimizer } from './compile-model';
import {
  classIndices,
  elementAccuracy,
  elementLosses,
  LOSS_NAMES,
  type LossName,
} from './element-losses';
import { RnnModelsError } from './errors';
import type { CompileOptions } from './model-config';
import { mulberry32, permutation } from './random';
import type { RecurrentCell } from './recurrent-cell';
import { type DropoutSeeds, seedDropout } from './seed-dropout';
import { TrainingProgress } from './training-progress';
import { unroll } from './unroll';
import {
  argumentError,
  checkOneOf,
  checkOptions,
  checkSeed,
  firstNonFinite,
  indexIn,
  nonFiniteError,
  show,
} from './validate';
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
   * history, dropout included: every `Dropout`/`SpatialDropout1D` layer and every recurrent cell
   * with `dropout` or `recurrentDropout` draws its masks from seeds of the run (its own `seed` and
   * `dropoutFunc` are put back when training ends). `Math.random` is never replaced. Noise layers
   * without a seed option (`GaussianNoise`, `GaussianDropout`, `AlphaDropout`) stay unseeded. An integer
   * in [-2^31, 2^32 - 1] (the generator's 32-bit state; -1 is 2^32 - 1).
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

/**
 * Checks in one walk that a nested array is rectangular (every row as long as the first at its
 * depth) with numbers (or booleans) as leaves; tfjs infers the shape from the first elements only.
 */
function checkNested(value: unknown[], name: string): void {
  const shape: number[] = [];
  for (let v: unknown = value; Array.isArray(v); v = v[0]) shape.push(v.length);
  const path: number[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number' && typeof v !== 'boolean') {
        throw new RnnModelsError({
          code: 'INVALID_ARGUMENT',
          argument: name,
          message: `${name}: expected numbers, got ${show(v)} at index [${path.join(', ')}]`,
        });
      }
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new RnnModelsError({
        code: 'SHAPE_MISMATCH',
        argument: name,
        message: `${name}: expected a rectangular nested array (shape [${shape.join(', ')}] from its first elements), got ${Array.isArray(v) ? `a row of ${v.length}` : show(v)} at index [${path.join(', ')}]`,
      });
    }
    for (let i = 0; i < v.length; i++) {
      path.push(i);
      walk(v[i], depth + 1);
      path.pop();
    }
  };
  walk(value, 0);
}

function toTensor(value: unknown, name: string, owned: tf.Tensor[]): tf.Tensor {
  let tensor: tf.Tensor;
  if (value instanceof tf.Tensor) tensor = value;
  else if (Array.isArray(value)) {
    checkNested(value, name);
    tensor = tf.tensor(value as number[]);
    owned.push(tensor);
  } else return argumentError(name, 'a tensor or a nested array of numbers', value);
  if (tensor.dtype !== 'float32' && tensor.dtype !== 'int32' && tensor.dtype !== 'bool') {
    argumentError(name, 'numbers (a float32, int32 or bool tensor)', `${tensor.dtype} values`);
  }
  if (tensor.isDisposed) argumentError(name, 'a tensor that is not disposed', 'a disposed tensor');
  return tensor;
}

function classWeightVector(
  classWeight: TrainOptions['classWeight'],
  numClasses: number | undefined,
): number[] | undefined {
  if (classWeight === undefined) return undefined;
  if (typeof classWeight !== 'object' || classWeight === null) {
    argumentError('classWeight', 'an object { class: weight } or an array of weights', classWeight);
  }
  const range = numClasses === undefined ? '' : ` in [0, ${numClasses}) (the model's classes)`;
  const entries: [number, number][] = Array.isArray(classWeight)
    ? Array.from(classWeight, (w, i) => [i, w ?? 1])
    : Object.entries(classWeight).map(([k, w]) => {
        // Number() would read '1e0', ' 1' and '01' as class 1 (two weights for one class, the
        // last winning) and '' as class 0: only the keys `String(index)` writes are class indices.
        if (!/^(?:0|[1-9]\d*)$/.test(k)) {
          argumentError('classWeight', `class indices${range || ' 0, 1, 2, ...'} as keys`, k);
        }
        return [Number(k), w as number];
      });
  const vector: number[] = new Array(numClasses ?? 0).fill(1);
  for (const [k, w] of entries) {
    if (!Number.isInteger(k) || k < 0 || (numClasses !== undefined && k >= numClasses)) {
      argumentError('classWeight', `class indices${range || ' 0, 1, 2, ...'}`, k);
    }
    if (typeof w !== 'number' || !(w >= 0) || !Number.isFinite(w)) {
      argumentError(`classWeight[${k}]`, 'a finite number >= 0', w);
    }
    vector[k] = w;
  }
  return Array.from(vector, (w) => w ?? 1);
}

/** `SHAPE_MISMATCH` with a message written out (no quoting of `got`). */
function shapeMismatch(argument: string, expected: string, got: string): never {
  throw new RnnModelsError({
    code: 'SHAPE_MISMATCH',
    argument,
    message: `${argument}: expected ${expected}, got ${got}`,
  });
}

/** Whether `shape` fits `target` (null: any size; the first, batch, dimension is not compared). */
function fits(shape: readonly number[], target: readonly (number | null)[]): boolean {
  return (
    shape.length === target.length && target.every((d, i) => i === 0 || d == null || d === shape[i])
  );
}

/** A shape as Keras prints it, the unknown batch size as `null`. */
const showShape = (shape: readonly (number | string | null)[]) =>
  `[${shape.map((d) => String(d)).join(', ')}]`;

/** What the values of a tensor must be; checked in one pass over its data. */
type ValueRule =
  | { finite: true }
  | { min: number; max: number; maxOpen: boolean; integer: boolean; what: string };

/** The first index whose value breaks a range rule (NaN breaks every rule), or -1. */
function firstOutside(
  values: ArrayLike<number>,
  min: number,
  max: number,
  maxOpen: boolean,
  integer: boolean,
): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v >= min && (maxOpen ? v < max : v <= max)) || (integer && Math.floor(v) !== v)) {
      return i;
    }
  }
  return -1;
}

/** Reads `t` once and throws `NON_FINITE_VALUE` or `INVALID_ARGUMENT` at its first bad value. */
async function checkValues(argument: string, t: tf.Tensor, rule: ValueRule): Promise<void> {
  if ('finite' in rule && t.dtype !== 'float32') return; // int32 and bool are always finite
  const values = (await t.data()) as ArrayLike<number>;
  const i =
    'finite' in rule
      ? firstNonFinite(values)
      : firstOutside(values, rule.min, rule.max, rule.maxOpen, rule.integer);
  if (i < 0) return;
  const value = values[i];
  const where = indexIn(i, t.shape);
  if (value - value !== 0) nonFiniteError(argument, value, where);
  const what = (rule as { what: string }).what;
  throw new RnnModelsError({
    code: 'INVALID_ARGUMENT',
    argument,
    message: `${argument}: expected ${what}, got ${value} at index ${where}`,
  });
}

/**
 * Trains a tfjs-layers model or a from-scratch cell ({@link LSTMCell}, {@link BasicRNNCell}) with the
 * options `model.fit` lacks: global-norm gradient clipping, early stopping that restores the best
 * weights, and seeded shuffling, besides epochs, batch size, optimizer, class weights, validation data
 * and callbacks. The loss includes the models' L1/L2 penalties. For a cell, `y` of shape
 * `[batch, outputSize]` is compared with the last step's output and `[batch, steps, outputSize]`
 * with every step's. Returns a JSON-serialisable history.
 *
 * The data are checked before the first step, in one pass over each tensor: shapes against the
 * model's input and output (`y` of shape `[n]` for a model with one output unit is read as
 * `[n, 1]`, as Keras does), finite values, class ids in `[0, numClasses)` for
 * `sparseCategoricalCrossentropy`, labels in `[0, 1]` for the other cross-entropies, and token ids
 * in `[0, inputDim)` for a model that starts with an `Embedding`. When a batch's loss comes out NaN
 * or ±Infinity (Keras' `TerminateOnNaN`), training stops with `TRAINING_DIVERGED` before that
 * batch's update, so the model keeps the weights it had before the batch; only a finite loss with
 * non-finite gradients (not checked, as that would cost a pass over every gradient per step) can
 * leave NaN weights, and the next batch then stops training. An optimizer that `train` makes (from
 * a name, or for an uncompiled model) is disposed when it ends, so a `train` call leaves no tensors
 * behind, whether it succeeds or throws.
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
 * @throws {RnnModelsError} `SHAPE_MISMATCH` when `x` or `y` (or the validation data) do not fit
 * the model or each other (integer class ids with `categoricalCrossentropy` included: pass
 * `loss: 'sparseCategoricalCrossentropy'` or one-hot encode them); `NON_FINITE_VALUE` for NaN or
 * ±Infinity in the data; `INVALID_ARGUMENT` for a bad option (options that are not an object, a
 * seed that is not a 32-bit integer, `classWeight` keys that are not class indices), no examples,
 * or labels or token ids out of range (the message names the first bad value and its index);
 * `TRAINING_DIVERGED` when the loss becomes NaN or ±Infinity.
 */
export async function train(
  modelOrCell: tf.LayersModel | RecurrentCell,
  data: TrainData,
  options: TrainOptions = {},
): Promise<TrainHistory> {
  checkOptions(options);
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
  checkSeed(seed, 'seed');
  for (const [name, value] of [
    ['clipNorm', clipNorm],
    ['clipValue', clipValue],
  ] as const) {
    if (
      value !== undefined &&
      !(typeof value === 'number' && value > 0 && Number.isFinite(value))
    ) {
      argumentError(name, 'a finite number > 0', value);
    }
  }
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
  const isClassifier = lossName !== 'meanSquaredError' && lossName !== 'meanAbsoluteError';
  const sparse = lossName === 'sparseCategoricalCrossentropy';

  const stopping = options.earlyStopping
    ? {
        monitor: validationData ? 'val_loss' : 'loss',
        patience: 0,
        minDelta: 0,
        restoreBestWeights: false,
        ...(options.earlyStopping === true ? {} : options.earlyStopping),
      }
    : undefined;
  if (stopping) {
    const metrics = isClassifier ? ['loss', 'accuracy'] : ['loss'];
    const logged = validationData ? [...metrics, ...metrics.map((m) => `val_${m}`)] : metrics;
    if (!logged.includes(stopping.monitor)) {
      argumentError('earlyStopping.monitor', `one of ${logged.join(', ')}`, stopping.monitor);
    }
    if (!Number.isInteger(stopping.patience) || stopping.patience < 0) {
      argumentError('earlyStopping.patience', 'an integer >= 0', stopping.patience);
    }
    if (!(stopping.minDelta >= 0 && Number.isFinite(stopping.minDelta))) {
      argumentError('earlyStopping.minDelta', 'a finite number >= 0', stopping.minDelta);
    }
  }

  const variables: tf.Variable[] = cell
    ? cell.trainableWeights
    : model!.trainableWeights.map((w) => w.read() as tf.Variable);
  if (variables.length === 0) {
    argumentError('modelOrCell', 'a model with trainable weights', 'none (every layer frozen)');
  }

  /** The first layer of the model when it is an Embedding: its number of ids. */
  const firstLayer = model?.layers.find((l) => l.getClassName() !== 'InputLayer');
  const embeddingIds =
    firstLayer?.getClassName() === 'Embedding'
      ? (firstLayer.getConfig().inputDim as number)
      : undefined;

  // Tensors made here (from arrays, reshaped labels), and the optimizer when made here: freed at
  // the end whatever happens.
  const owned: tf.Tensor[] = [];
  let ownOptimizer: tf.Optimizer | undefined;
  let best = {
    value: Number.POSITIVE_INFINITY,
    epoch: -1,
    weights: undefined as tf.Tensor[] | undefined,
  };
  let classes: number | null | undefined;
  let dropoutSeeds: DropoutSeeds | undefined;

  /** Checks `x` and `y` against the model and each other; returns them with `y` fitted. */
  const prepare = async (
    which: 'data' | 'validationData',
    given: TrainData | undefined,
  ): Promise<{ x: tf.Tensor; y: tf.Tensor }> => {
    if (typeof given !== 'object' || given === null) {
      argumentError(which, 'an object { x, y }', given);
    }
    const x = toTensor(given.x, `${which}.x`, owned);
    let y = toTensor(given.y, `${which}.y`, owned);
    const n = x.shape[0];
    if (x.rank === 0 || n === 0) {
      throw new RnnModelsError({
        code: 'INVALID_ARGUMENT',
        argument: `${which}.x`,
        message: `${which}.x: expected at least one example, got shape ${showShape(x.shape)}`,
      });
    }
    if (y.rank === 0 || y.shape[0] !== n) {
      shapeMismatch(
        `${which}.y`,
        `${n} examples like ${which}.x`,
        `${y.shape[0] ?? 0} (shape ${showShape(y.shape)})`,
      );
    }
    const inShape: (number | null)[] = model
      ? model.inputs[0].shape.map((d) => d ?? null)
      : [null, null, cell!.inputSize];
    const xSteps = x.shape[1] ?? 0;
    if (!fits(x.shape, inShape) || (cell && xSteps < 1)) {
      shapeMismatch(
        `${which}.x`,
        `shape ${showShape([n, ...inShape.slice(1).map((d) => d ?? 'any')])} (${
          model
            ? `the model's input, ${showShape(inShape)}`
            : "[batch, steps >= 1, the cell's inputSize]"
        })`,
        showShape(x.shape),
      );
    }
    let outShape: (number | null)[];
    if (model) outShape = model.outputs[0].shape.map((d) => d ?? null);
    else {
      const sequence = sparse ? y.rank === 3 || (y.rank === 2 && y.shape[1] !== 1) : y.rank === 3;
      outShape = sequence ? [null, xSteps, cell!.outputSize] : [null, cell!.outputSize];
    }
    const lead = outShape.slice(0, -1);
    classes = outShape[outShape.length - 1];
    const expectedY = (shape: (number | null)[]) =>
      showShape([n, ...shape.slice(1).map((d) => d ?? 'any')]);
    const outputs = `${model ? 'the model outputs' : 'the cell gives'} ${showShape(outShape)}`;
    if (sparse) {
      if (fits(y.shape, [...lead, 1])) {
        y = tf.reshape(y, y.shape.slice(0, -1));
        owned.push(y);
      } else if (!fits(y.shape, lead)) {
        shapeMismatch(
          `${which}.y`,
          `class ids of shape ${expectedY(lead)} for sparseCategoricalCrossentropy (${outputs})`,
          showShape(y.shape),
        );
      }
    } else if (!fits(y.shape, outShape)) {
      if (classes === 1 && fits(y.shape, lead)) {
        y = tf.reshape(y, [...y.shape, 1]);
        owned.push(y);
      } else if (
        lossName === 'categoricalCrossentropy' &&
        classes != null &&
        classes > 1 &&
        (fits(y.shape, lead) || fits(y.shape, [...lead, 1]))
      ) {
        shapeMismatch(
          `${which}.y`,
          `one-hot labels of shape ${expectedY(outShape)} for categoricalCrossentropy (${outputs}); for integer class ids pass loss: 'sparseCategoricalCrossentropy', or one-hot encode them with tf.oneHot`,
          `shape ${showShape(y.shape)}`,
        );
      } else {
        shapeMismatch(
          `${which}.y`,
          `shape ${expectedY(outShape)} for ${lossName} (${outputs})`,
          showShape(y.shape),
        );
      }
    }
    await checkValues(
      `${which}.x`,
      x,
      embeddingIds === undefined
        ? { finite: true }
        : {
            min: 0,
            max: embeddingIds,
            maxOpen: true,
            integer: true,
            what: `token ids, integers in [0, ${embeddingIds}) (the Embedding's inputDim)`,
          },
    );
    await checkValues(
      `${which}.y`,
      y,
      sparse
        ? {
            min: 0,
            max: classes ?? Number.POSITIVE_INFINITY,
            maxOpen: true,
            integer: true,
            what: `class ids, integers in [0, ${classes}), for sparseCategoricalCrossentropy`,
          }
        : isClassifier
          ? {
              min: 0,
              max: 1,
              maxOpen: false,
              integer: false,
              what: `labels in [0, 1] for ${lossName}`,
            }
          : { finite: true },
    );
    return { x, y };
  };

  try {
    let optimizer: tf.Optimizer;
    if (typeof options.optimizer === 'object' && options.optimizer !== null) {
      optimizer = options.optimizer as tf.Optimizer;
    } else if (
      options.optimizer === undefined &&
      options.learningRate === undefined &&
      model?.optimizer
    ) {
      optimizer = model.optimizer;
    } else {
      ownOptimizer = makeOptimizer(
        options.optimizer as CompileOptions['optimizer'],
        options.learningRate,
      );
      optimizer = ownOptimizer;
    }
    const { x, y } = await prepare('data', data);
    const n = x.shape[0];
    const val = validationData ? await prepare('validationData', validationData) : undefined;
    const numClasses = isClassifier
      ? lossName === 'binaryCrossentropy'
        ? 2
        : (classes ?? undefined)
      : undefined;
    const weights = classWeightVector(options.classWeight, numClasses);

    const fixedBatch = model?.inputs[0].shape[0];
    if (fixedBatch != null && (batchSize !== fixedBatch || n % fixedBatch !== 0)) {
      argumentError(
        'batchSize',
        `${fixedBatch} (the model's fixed batch size, e.g. a stateful model) dividing the ${n} examples`,
        batchSize,
      );
    }
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
      forward(xb, training, sparse ? yb.rank + 1 : yb.rank);
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
    let wait = 0;
    await callbacks.onTrainBegin?.();
    // a seeded run repeats its dropout masks too: every dropout layer and recurrent cell draws
    // them from seeds of this run (Math.random, which tfjs would use otherwise, is left alone)
    if (seed !== undefined && model)
      dropoutSeeds = seedDropout(model, mulberry32(seed ^ 0x5bd1e995));

    /** One step: the batch's loss and accuracy; every tensor it makes is freed, even on a throw. */
    const step = (epoch: number, b: number, rows: number[]): { loss: number; accuracy: number } => {
      let accuracy: tf.Tensor | undefined;
      try {
        dropoutSeeds?.reseed();
        return tf.tidy(() => {
          const idx = tf.tensor1d(rows, 'int32');
          const xb = tf.gather(x, idx);
          const yb = tf.gather(y, idx);
          const { value, grads } = tf.variableGrads(() => {
            const pred = predictionFor(xb, yb, true);
            if (isClassifier) accuracy = tf.keep(tf.mean(elementAccuracy(lossName, yb, pred)));
            const base = weightedMean(yb, pred);
            const extra = penalties();
            return (extra.length ? tf.addN([base, ...extra]) : base) as tf.Scalar;
          }, variables);
          const loss = value.dataSync()[0];
          if (!Number.isFinite(loss)) {
            throw new RnnModelsError({
              code: 'TRAINING_DIVERGED',
              message: `train: the loss became ${loss} at epoch ${epoch + 1}/${epochs}, batch ${b + 1}/${steps}; training stopped before that batch's update, so the model keeps the weights it had before it (lower the learning rate, set clipNorm, or check the data)`,
            });
          }
          const names = Object.keys(grads);
          const clipped = clipGradients(
            names.map((k) => grads[k]),
            { clipNorm, clipValue },
          );
          optimizer.applyGradients(Object.fromEntries(names.map((k, i) => [k, clipped[i]])));
          return { loss, accuracy: accuracy ? accuracy.dataSync()[0] : 0 };
        });
      } finally {
        accuracy?.dispose();
      }
    };

    for (let epoch = 0; epoch < epochs; epoch++) {
      const started = Date.now();
      const order = shuffle ? permutation(n, random) : Array.from({ length: n }, (_, i) => i);
      let lossSum = 0;
      let accSum = 0;
      for (let b = 0; b < steps; b++) {
        const rows = order.slice(b * batchSize, (b + 1) * batchSize);
        const { loss: batchLoss, accuracy } = step(epoch, b, rows);
        lossSum += batchLoss * rows.length;
        accSum += accuracy * rows.length;
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
    dropoutSeeds?.restore();
    dropoutSeeds = undefined;
    await callbacks.onTrainEnd?.(history);
    return history;
  } finally {
    dropoutSeeds?.restore();
    tf.dispose(best.weights ?? []);
    tf.dispose(owned);
    ownOptimizer?.dispose();
  }
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
