import {
  meanAbsoluteError,
  meanSquaredError,
  r2Score,
  rootMeanSquaredError,
} from '@seqlearn/eval-metrics';
import type { RunOutcome } from '@seqlearn/example-kit';
import { createSequenceModel, train } from '@seqlearn/rnn-models';
import { reshapeWindows, shiftWindows, statefulBatches } from '@seqlearn/sequence-windows';
import * as tf from '@tensorflow/tfjs';
import type { PreparedSeries } from './series-data';

/** One setting of the sweep: how the series is windowed and which model learns it. */
export interface WindowingSetting {
  id: string;
  /**
   * `shift`: sliding windows of `length` steps every `shift` steps, next value as target;
   * `reshape`: non-overlapping windows of `length + 1` steps, the last one as target;
   * `stateful`: `statefulBatches` streams, a stateful many-to-many model that carries its state
   * across batches and, at prediction, across the whole series.
   */
  windowing: 'shift' | 'reshape' | 'stateful';
  cell: 'simpleRNN' | 'lstm' | 'gru';
  units: number;
  /** Wrap the recurrent layer in `Bidirectional` (both directions read the past window). */
  bidirectional?: boolean;
  /** Steps per window (per row of a stateful batch). */
  length: number;
  /** Steps between window starts (`shift` windowing). @default 1 */
  shift?: number;
  batchSize: number;
  epochs: number;
  learningRate: number;
  /**
   * The model around the recurrent layer. Next-step models: `'rnn'`, the plain
   * `createSequenceModel` regressor (with `conv`, a CNN-LSTM); `'residual'`, the same recurrent
   * layer and dense output in a functional `tf.model` plus an identity skip from the last input
   * step's target value (the model learns a correction to persistence). Multi-step models (they
   * need `horizon`; see `multi-step.ts`): `'direct'`, `'seq2seq'`, `'one-to-many'`.
   * @default 'rnn'
   */
  model?: 'rnn' | 'residual' | 'direct' | 'seq2seq' | 'one-to-many';
  /** L1/L2 penalty on the input kernels of the recurrent, conv and hidden dense layers. @default none */
  kernelRegularizer?: { l1?: number; l2?: number };
  /** Conv1D blocks before the recurrent layer (CNN-LSTM); `pool` is a max-pool size. @default none */
  conv?: { filters: number; kernelSize: number; pool?: number }[];
  /** Steps forecast at once by the multi-step models. @default none (next-step) */
  horizon?: number;
  /** `one-to-many`: how many of the last input steps, flattened, make its one input vector. @default 1 */
  inputSteps?: number;
}

/** Whether a setting forecasts several steps at once (its own sweep, `<series>-multistep/`). */
export function isMultiStep(s: WindowingSetting): boolean {
  return s.horizon !== undefined || ['direct', 'seq2seq', 'one-to-many'].includes(s.model ?? 'rnn');
}

/** What is kept of a run's predictions (`extra.json`): the test part, in the target's units. */
export interface Predictions {
  t: number[];
  true: number[];
  predicted: number[];
  /** The persistence forecast (the previous step's value), the baseline to beat. */
  persistence: number[];
}

export function regressionConfig(s: WindowingSetting, seed: number) {
  return {
    cell: s.cell,
    units: s.units,
    bidirectional: s.bidirectional ?? false,
    task: 'regression' as const,
    seed,
    ...(s.kernelRegularizer ? { kernelRegularizer: s.kernelRegularizer } : {}),
    ...(s.conv
      ? {
          conv: s.conv.map((c) => ({
            filters: c.filters,
            kernelSize: c.kernelSize,
            ...(c.pool ? { pool: { size: c.pool } } : {}),
          })),
        }
      : {}),
  };
}

/**
 * The last input step's value of the target (feature 0), `[batch, steps, features]` →
 * `[batch, 1]`: the skip connection of the residual model. tfjs has no `Lambda` layer, so this
 * small layer is written out with the public `tf.layers.Layer` API.
 */
export class LastStepTarget extends tf.layers.Layer {
  static className = 'LastStepTarget';
  override computeOutputShape(shape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(shape[0]) ? shape[0] : shape) as tf.Shape;
    return [s[0], 1];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const [n, t] = x.shape;
      return x.slice([0, (t as number) - 1, 0], [n, 1, 1]).reshape([n, 1]);
    });
  }
}
tf.serialization.registerClass(LastStepTarget);

/**
 * The residual next-step model: `input → recurrent layer → Dense(1)`, plus an identity skip from
 * the last input step's target value, added to the output (`tf.layers.add`), in a functional
 * `tf.model`. The recurrent and dense layers are those `createSequenceModel` builds for the plain
 * model with the same seed, reused in the new graph, so the two models start from the same
 * weights and differ only by the skip.
 */
export function residualModel(s: WindowingSetting, seed: number, features: number): tf.LayersModel {
  const plain = createSequenceModel({
    ...regressionConfig(s, seed),
    inputShape: [s.length, features],
  });
  const input = tf.input({ shape: [s.length, features] });
  let h = input as tf.SymbolicTensor;
  for (const layer of plain.layers) h = layer.apply(h) as tf.SymbolicTensor;
  const skip = new LastStepTarget({ name: 'last_step_target' }).apply(input) as tf.SymbolicTensor;
  const output = tf.layers.add({ name: 'plus_last_value' }).apply([h, skip]) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: output, name: `residual_${s.cell}` });
  plain.dispose();
  return model;
}

/** Next-step windows whose targets are the steps `[from, to)` (inputs start `length` earlier). */
function evalWindows(data: PreparedSeries, from: number, to: number, length: number) {
  return shiftWindows(data.rows.slice(from - length, to), {
    length,
    targetShift: 1,
    targetFeatures: [0],
  });
}

function scaledMse(yTrue: number[], yPred: number[]): number {
  return yTrue.reduce((a, y, i) => a + (y - yPred[i]) ** 2, 0) / yTrue.length;
}

/**
 * Trains one setting with one seed on the training part of the series and predicts the validation
 * and test parts one step ahead. Reports MSE, MAE and R² in the target's own units and the MSE of
 * the persistence forecast; the history holds the training loss and `val_loss` (standardized MSE
 * on the validation part) per epoch.
 */
export async function trainSetting(
  data: PreparedSeries,
  s: WindowingSetting,
  seed: number,
  { verbose }: { verbose: boolean },
): Promise<RunOutcome & { extra: Predictions }> {
  const features = data.featureNames.length;
  const scaledTarget = data.rows.map((r) => r[0]);
  const valTrue = scaledTarget.slice(data.trainEnd, data.valEnd);
  const started = Date.now();
  let history: Record<string, number[]>;
  let valPred: number[];
  let testPred: number[];

  if (s.windowing === 'stateful') {
    ({ history, valPred, testPred } = await trainStateful(data, s, seed, valTrue, verbose));
  } else {
    const trainRows = data.rows.slice(0, data.trainEnd);
    let x: tf.Tensor3D;
    let y: tf.Tensor;
    if (s.windowing === 'shift') {
      ({ x, y } = shiftWindows(trainRows, {
        length: s.length,
        shift: s.shift ?? 1,
        targetShift: 1,
        targetFeatures: [0],
      }));
    } else {
      const { windows } = reshapeWindows(trainRows, { length: s.length + 1 });
      const k = windows.shape[0];
      x = windows.slice([0, 0, 0], [k, s.length, features]);
      y = windows.slice([0, s.length, 0], [k, 1, 1]).reshape([k, 1]);
      windows.dispose();
    }
    const val = evalWindows(data, data.trainEnd, data.valEnd, s.length);
    const test = evalWindows(data, data.valEnd, data.rows.length, s.length);
    const model =
      s.model === 'residual'
        ? residualModel(s, seed, features)
        : createSequenceModel({
            ...regressionConfig(s, seed),
            inputShape: [s.length, features],
            compile: { learningRate: s.learningRate, loss: 'meanSquaredError' },
          });
    const h = await train(
      model,
      { x, y },
      {
        epochs: s.epochs,
        batchSize: s.batchSize,
        learningRate: s.learningRate,
        loss: 'meanSquaredError',
        validationData: { x: val.x, y: val.y },
        seed,
        verbose: verbose ? 1 : 0,
      },
    );
    history = h.history;
    const predict = (input: tf.Tensor) =>
      tf.tidy(() => Array.from((model.predict(input, { batchSize: 256 }) as tf.Tensor).dataSync()));
    valPred = predict(val.x);
    testPred = predict(test.x);
    tf.dispose([x, y, val.x, val.y, test.x, test.y]);
    model.dispose();
  }
  const seconds = (Date.now() - started) / 1000;

  const t = Array.from({ length: data.rows.length - data.valEnd }, (_, i) => data.valEnd + i);
  const yTrue = t.map((i) => data.target[i]);
  const yPred = testPred.map(data.unscale);
  const persistence = t.map((i) => data.target[i - 1]);
  const valTrueUnits = valTrue.map(data.unscale);
  return {
    metrics: {
      val_mse: meanSquaredError(valTrueUnits, valPred.map(data.unscale)) as number,
      test_mse: meanSquaredError(yTrue, yPred) as number,
      test_rmse: rootMeanSquaredError(yTrue, yPred) as number,
      test_mae: meanAbsoluteError(yTrue, yPred) as number,
      test_r2: r2Score(yTrue, yPred) as number,
      persistence_test_mse: meanSquaredError(yTrue, persistence) as number,
      persistence_test_rmse: rootMeanSquaredError(yTrue, persistence) as number,
      persistence_test_mae: meanAbsoluteError(yTrue, persistence) as number,
      val_loss_scaled: scaledMse(valTrue, valPred),
    },
    history,
    seconds,
    extra: { t, true: yTrue, predicted: yPred, persistence },
  };
}

/**
 * Keras' stateful recipe: `statefulBatches` streams, `fit` one epoch at a time without shuffling,
 * `resetStates()` before each epoch. Predictions come from a copy of the model with batch size 1
 * and free length that reads the whole series from step 0, carrying its state all the way, so
 * each prediction sees the entire past, not only a window.
 */
async function trainStateful(
  data: PreparedSeries,
  s: WindowingSetting,
  seed: number,
  valTrue: number[],
  verbose: boolean,
): Promise<{ history: Record<string, number[]>; valPred: number[]; testPred: number[] }> {
  const features = data.featureNames.length;
  const batches = statefulBatches(data.rows.slice(0, data.trainEnd), {
    batchSize: s.batchSize,
    length: s.length,
  });
  const y = batches.y.slice([0, 0, 0], [-1, -1, 1]);
  const base = { ...regressionConfig(s, seed), returnSequences: true, stateful: true };
  const model = createSequenceModel({
    ...base,
    inputShape: [s.length, features],
    batchSize: s.batchSize,
    compile: { learningRate: s.learningRate, loss: 'meanSquaredError' },
  });
  const predictor = createSequenceModel({ ...base, inputShape: [null, features], batchSize: 1 });
  const history: Record<string, number[]> = { loss: [], val_loss: [] };
  let next: number[] = [];
  for (let epoch = 0; epoch < s.epochs; epoch++) {
    const began = Date.now();
    model.resetStates();
    const h = await model.fit(batches.x, y, {
      batchSize: s.batchSize,
      epochs: 1,
      shuffle: false,
      verbose: 0,
    });
    predictor.setWeights(model.getWeights());
    next = walk(predictor, data.rows);
    const valLoss = scaledMse(valTrue, next.slice(data.trainEnd, data.valEnd));
    history.loss.push(h.history.loss[0] as number);
    history.val_loss.push(valLoss);
    if (verbose) {
      process.stderr.write(
        `${s.id} epoch ${epoch + 1}/${s.epochs}  loss ${history.loss.at(-1)?.toFixed(4)}  val_loss ${valLoss.toFixed(4)}  (${((Date.now() - began) / 1000).toFixed(1)} s)\n`,
      );
    }
  }
  tf.dispose([batches.x, batches.y, y]);
  model.dispose();
  predictor.dispose();
  return {
    history,
    valPred: next.slice(data.trainEnd, data.valEnd),
    testPred: next.slice(data.valEnd),
  };
}

/**
 * Runs a stateful batch-1 model over the whole series from a reset state, in chunks, and returns
 * `next` with `next[t]` the prediction of step `t` made after reading steps `0 … t - 1`.
 */
function walk(predictor: tf.LayersModel, rows: number[][], chunk = 128): number[] {
  predictor.resetStates();
  const next: number[] = [Number.NaN];
  for (let start = 0; start < rows.length - 1; start += chunk) {
    const part = rows.slice(start, Math.min(rows.length - 1, start + chunk));
    const out = tf.tidy(() =>
      Array.from((predictor.predict(tf.tensor3d([part])) as tf.Tensor).dataSync()),
    );
    next.push(...out);
  }
  return next;
}
