import { meanAbsoluteError, meanSquaredError, rootMeanSquaredError } from '@seqlearn/eval-metrics';
import type { RunOutcome } from '@seqlearn/example-kit';
import { createSequenceModel, train } from '@seqlearn/rnn-models';
import { shuffle } from '@seqlearn/sequence-windows';
import * as tf from '@tensorflow/tfjs';
import type { PreparedSeries } from './series-data';
import { regressionConfig, type WindowingSetting } from './train-setting';

/**
 * Multi-step forecasts from one origin `o`: the model reads the `length` steps before `o` and
 * forecasts the target at steps `o … o + horizon - 1`. Every origin of a part whose whole horizon
 * lies inside that part is used (stride 1), so the validation and test parts are scored on the
 * same origins by every model.
 */
export interface Origins {
  /** Origin steps. */
  origins: number[];
  /** Input windows `[n, length, features]` (standardized). */
  x: tf.Tensor3D;
  /** Targets `[n, horizon]` (standardized). */
  y: number[][];
  /** Decoder inputs for teacher forcing `[n, horizon]`: the target shifted one step right. */
  shifted: number[][];
}

/** What a multi-step run keeps (`extra.json`), in the target's units. */
export interface MultiStepPredictions {
  horizon: number;
  /** MAE of the model and of persistence at each lead time 1 … horizon (test part). */
  maeByStep: number[];
  persistenceMaeByStep: number[];
  /** A few test forecasts: origin, truth, forecast and persistence (the last value repeated). */
  samples: { origin: number; true: number[]; predicted: number[]; persistence: number[] }[];
}

/** The origins of `[from, to)` (targets inside the part; inputs may reach back before `from`). */
export function makeOrigins(
  data: PreparedSeries,
  from: number,
  to: number,
  length: number,
  horizon: number,
): Origins {
  const first = Math.max(from, length);
  const origins: number[] = [];
  for (let o = first; o + horizon <= to; o++) origins.push(o);
  if (origins.length === 0) {
    throw new Error(
      `multi-step: no origin in [${from}, ${to}) for length ${length} and horizon ${horizon}`,
    );
  }
  const target = data.rows.map((r) => r[0]);
  return {
    origins,
    x: tf.tensor3d(origins.map((o) => data.rows.slice(o - length, o))),
    y: origins.map((o) => target.slice(o, o + horizon)),
    shifted: origins.map((o) => target.slice(o - 1, o + horizon - 1)),
  };
}

/** A forecaster: trains on the training origins and forecasts `[n][horizon]` (standardized). */
interface Forecaster {
  fitEpoch(epoch: number): Promise<number>;
  forecast(o: Origins): number[][];
  dispose(): void;
}

const recurrent = (cell: WindowingSetting['cell'], args: Record<string, unknown>) =>
  cell === 'lstm'
    ? tf.layers.lstm({ ...args, units: args.units as number, recurrentActivation: 'sigmoid' })
    : cell === 'gru'
      ? tf.layers.gru({ ...args, units: args.units as number, recurrentActivation: 'sigmoid' })
      : tf.layers.simpleRNN({ ...args, units: args.units as number });

/** Seeded Keras-style initializers for the layers written out with `tf.layers`. */
function initializers(seed: number, k: number) {
  return {
    kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 100 + k }),
    // Orthogonal recurrent kernels, as Keras (tfjs' QR is slow only for large layers).
    recurrentInitializer: tf.initializers.orthogonal({ seed: seed * 100 + k + 1, gain: 1 }),
  };
}

/** Seeded per-epoch order of `n` examples. */
const order = (n: number, seed: number, epoch: number) =>
  shuffle(
    Array.from({ length: n }, (_, i) => i),
    { seed: (seed * 1000 + epoch) >>> 0 },
  );

/**
 * Encoder-decoder (seq2seq) with teacher forcing. Training model: the encoder RNN reads the window
 * and hands its final state(s) to the decoder RNN, whose inputs are the targets shifted one step
 * (the last observed value, then the true values `o … o + horizon - 2`); a `TimeDistributed`
 * Dense(1) reads each decoder step. Inference: the encoder model gives the states, and a one-step
 * decoder model (the same decoder and dense layers) is fed its own previous prediction, starting
 * from the last observed value, `horizon` times.
 */
function seq2seq(s: WindowingSetting, seed: number, features: number, trainO: Origins): Forecaster {
  const horizon = s.horizon as number;
  const states = s.cell === 'lstm' ? 2 : 1;
  const encIn = tf.input({ shape: [s.length, features], name: 'encoder_input' });
  const encoder = recurrent(s.cell, {
    units: s.units,
    returnState: true,
    name: 'encoder',
    ...initializers(seed, 1),
  });
  const [, ...encStates] = encoder.apply(encIn) as tf.SymbolicTensor[];
  const decoder = recurrent(s.cell, {
    units: s.units,
    returnSequences: true,
    returnState: true,
    name: 'decoder',
    ...initializers(seed, 3),
  });
  const readout = tf.layers.timeDistributed({
    layer: tf.layers.dense({
      units: 1,
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 100 + 5 }),
    }),
    name: 'readout',
  });
  const decIn = tf.input({ shape: [null, 1], name: 'decoder_input' });
  const [decSeq] = decoder.apply(decIn, { initialState: encStates }) as tf.SymbolicTensor[];
  const out = readout.apply(decSeq) as tf.SymbolicTensor;
  const model = tf.model({ inputs: [encIn, decIn], outputs: out, name: 'seq2seq_train' });
  const optimizer = tf.train.adam(s.learningRate);
  model.compile({ optimizer, loss: 'meanSquaredError' });

  const encoderModel = tf.model({ inputs: encIn, outputs: encStates, name: 'seq2seq_encoder' });
  const stateIns = Array.from({ length: states }, (_, i) =>
    tf.input({ shape: [s.units], name: `state_in_${i}` }),
  );
  const stepIn = tf.input({ shape: [1, 1], name: 'step_input' });
  const [stepSeq, ...stepStates] = decoder.apply(stepIn, {
    initialState: stateIns,
  }) as tf.SymbolicTensor[];
  const stepOut = readout.apply(stepSeq) as tf.SymbolicTensor;
  const stepModel = tf.model({
    inputs: [stepIn, ...stateIns],
    outputs: [stepOut, ...stepStates],
    name: 'seq2seq_step',
  });

  const n = trainO.origins.length;
  const decTrain = tf.tensor3d(trainO.shifted.map((r) => r.map((v) => [v])));
  const yTrain = tf.tensor3d(trainO.y.map((r) => r.map((v) => [v])));
  return {
    async fitEpoch(epoch) {
      const idx = tf.tensor1d(order(n, seed, epoch), 'int32');
      const xs = [tf.gather(trainO.x, idx), tf.gather(decTrain, idx)];
      const ys = tf.gather(yTrain, idx);
      const h = await model.fit(xs, ys, {
        batchSize: s.batchSize,
        epochs: 1,
        shuffle: false,
        verbose: 0,
      });
      tf.dispose([idx, ...xs, ys]);
      return h.history.loss[0] as number;
    },
    forecast(o) {
      return tf.tidy(() => {
        const encoded = encoderModel.predict(o.x, { batchSize: 256 });
        let state = (Array.isArray(encoded) ? encoded : [encoded]) as tf.Tensor[];
        let prev: tf.Tensor = tf.tensor3d(o.shifted.map((r) => [[r[0]]]));
        const steps: tf.Tensor[] = [];
        for (let j = 0; j < horizon; j++) {
          const [y, ...next] = stepModel.predict([prev, ...state], {
            batchSize: 256,
          }) as tf.Tensor[];
          steps.push(y.reshape([-1]));
          prev = y;
          state = next;
        }
        return tf.stack(steps, 1).arraySync() as number[][];
      });
    },
    dispose() {
      tf.dispose([decTrain, yTrain]);
      // tfjs counts a layer's uses per call, not per model: the encoder was called once, so only
      // the two models that together hold each call are disposed (the encoder model shares them).
      stepModel.dispose();
      model.dispose();
      optimizer.dispose();
    },
  };
}

/**
 * Wraps a single-input model trained with `train` of `@seqlearn/rnn-models`, one epoch per call
 * with a seeded order, on inputs `x` and targets `y` built from the origins.
 */
function singleInput(
  model: tf.LayersModel,
  s: WindowingSetting,
  seed: number,
  trainO: Origins,
  input: (o: Origins) => tf.Tensor,
  target: (o: Origins) => tf.Tensor,
): Forecaster {
  const x = input(trainO);
  const y = target(trainO);
  const optimizer = tf.train.adam(s.learningRate);
  return {
    async fitEpoch(epoch) {
      const h = await train(
        model,
        { x, y },
        {
          epochs: 1,
          batchSize: s.batchSize,
          optimizer,
          loss: 'meanSquaredError',
          seed: seed * 1000 + epoch,
          verbose: 0,
        },
      );
      return h.history.loss[0];
    },
    forecast(o) {
      return tf.tidy(() => {
        const xi = input(o);
        const p = model.predict(xi, { batchSize: 256 }) as tf.Tensor;
        return p.reshape([p.shape[0], -1]).arraySync() as number[][];
      });
    },
    dispose() {
      tf.dispose([x, y]);
      optimizer.dispose();
      model.dispose();
    },
  };
}

/**
 * One-to-many: one input vector (the last `inputSteps` steps of the window, flattened), repeated
 * `horizon` times by `RepeatVector`, read by a recurrent layer that returns every step, and a
 * `TimeDistributed` Dense(1): a sequence generated from a single input.
 */
function oneToMany(s: WindowingSetting, seed: number, features: number): tf.LayersModel {
  const k = s.inputSteps ?? 1;
  const model = tf.sequential({ name: 'one_to_many' });
  model.add(tf.layers.repeatVector({ n: s.horizon as number, inputShape: [k * features] }));
  model.add(recurrent(s.cell, { units: s.units, returnSequences: true, ...initializers(seed, 1) }));
  model.add(
    tf.layers.timeDistributed({
      layer: tf.layers.dense({
        units: 1,
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 100 + 5 }),
      }),
    }),
  );
  return model;
}

function lastSteps(o: Origins, k: number): tf.Tensor2D {
  return tf.tidy(() => {
    const [n, length, features] = o.x.shape;
    return o.x.slice([0, length - k, 0], [n, k, features]).reshape([n, k * features]);
  });
}

/** Builds the forecaster a multi-step setting describes. */
function forecaster(
  s: WindowingSetting,
  seed: number,
  features: number,
  trainOrigins: Origins,
): Forecaster {
  const horizon = s.horizon as number;
  const y2 = (o: Origins) => tf.tensor2d(o.y);
  if (s.model === 'seq2seq') return seq2seq(s, seed, features, trainOrigins);
  if (s.model === 'one-to-many') {
    const k = s.inputSteps ?? 1;
    return singleInput(
      oneToMany(s, seed, features),
      s,
      seed,
      trainOrigins,
      (o) => lastSteps(o, k),
      (o) => tf.tensor3d(o.y.map((r) => r.map((v) => [v]))),
    );
  }
  // 'direct': the plain many-to-one regressor with `horizon` linear outputs (a vector forecast).
  const model = createSequenceModel({
    ...regressionConfig(s, seed),
    inputShape: [s.length, features],
    outputUnits: horizon,
  });
  return singleInput(model, s, seed, trainOrigins, (o) => tf.clone(o.x), y2);
}

const flat = (m: number[][]) => m.flat();

/**
 * Trains one multi-step setting (`direct`, `seq2seq` or `one-to-many`) on the training origins and
 * forecasts every validation and test origin `horizon` steps ahead. Reports MSE (validation, the
 * selection metric), MSE, RMSE and MAE on the test part over all lead times, in the target's units,
 * next to the persistence forecast (the last observed value for every lead time), and per lead
 * time in `extra`. The history holds the training loss (teacher-forced for `seq2seq`) and
 * `val_loss`, the standardized MSE of the free-running forecast on the validation part.
 */
export async function trainMultiStep(
  data: PreparedSeries,
  s: WindowingSetting,
  seed: number,
  { verbose }: { verbose: boolean },
): Promise<RunOutcome & { extra: MultiStepPredictions }> {
  const horizon = s.horizon;
  if (!horizon || !Number.isInteger(horizon) || horizon < 1) {
    throw new Error(`${s.id}: multi-step settings need an integer horizon >= 1`);
  }
  if (s.windowing !== 'shift') {
    throw new Error(`${s.id}: multi-step settings use "windowing": "shift" (origins every step)`);
  }
  const features = data.featureNames.length;
  const trainO = makeOrigins(data, 0, data.trainEnd, s.length, horizon);
  const valO = makeOrigins(data, data.trainEnd, data.valEnd, s.length, horizon);
  const testO = makeOrigins(data, data.valEnd, data.rows.length, s.length, horizon);
  const started = Date.now();
  const f = forecaster(s, seed, features, trainO);
  const history: Record<string, number[]> = { loss: [], val_loss: [] };
  const mse = (a: number[], b: number[]) =>
    a.reduce((t, v, i) => t + (v - b[i]) ** 2, 0) / a.length;
  let valPred: number[][] = [];
  try {
    for (let epoch = 0; epoch < s.epochs; epoch++) {
      const began = Date.now();
      const loss = await f.fitEpoch(epoch);
      valPred = f.forecast(valO);
      const valLoss = mse(flat(valO.y), flat(valPred));
      history.loss.push(loss);
      history.val_loss.push(valLoss);
      if (verbose) {
        process.stderr.write(
          `${s.id} epoch ${epoch + 1}/${s.epochs}  loss ${loss.toFixed(4)}  val_loss ${valLoss.toFixed(4)} (free-running)  (${((Date.now() - began) / 1000).toFixed(1)} s)\n`,
        );
      }
    }
    const testPred = f.forecast(testO);
    const seconds = (Date.now() - started) / 1000;
    const u = (m: number[][]) => m.map((r) => r.map(data.unscale));
    const valTrue = u(valO.y);
    const testTrue = u(testO.y);
    const testFc = u(testPred);
    const persist = (o: Origins) =>
      o.origins.map((t) => new Array(horizon).fill(data.target[t - 1]));
    const testPersist = persist(testO);
    const byStep = (pred: number[][]) =>
      Array.from({ length: horizon }, (_, j) =>
        meanAbsoluteError(
          testTrue.map((r) => r[j]),
          pred.map((r) => r[j]),
        ),
      ) as number[];
    const sampleIdx = [0, Math.floor(testO.origins.length / 2), testO.origins.length - 1];
    return {
      metrics: {
        val_mse: meanSquaredError(flat(valTrue), flat(u(valPred))) as number,
        test_mse: meanSquaredError(flat(testTrue), flat(testFc)) as number,
        test_rmse: rootMeanSquaredError(flat(testTrue), flat(testFc)) as number,
        test_mae: meanAbsoluteError(flat(testTrue), flat(testFc)) as number,
        persistence_test_mse: meanSquaredError(flat(testTrue), flat(testPersist)) as number,
        persistence_test_rmse: rootMeanSquaredError(flat(testTrue), flat(testPersist)) as number,
        persistence_test_mae: meanAbsoluteError(flat(testTrue), flat(testPersist)) as number,
        persistence_val_mse: meanSquaredError(flat(valTrue), flat(persist(valO))) as number,
      },
      history,
      seconds,
      extra: {
        horizon,
        maeByStep: byStep(testFc),
        persistenceMaeByStep: byStep(testPersist),
        samples: sampleIdx.map((i) => ({
          origin: testO.origins[i],
          true: testTrue[i],
          predicted: testFc[i],
          persistence: testPersist[i],
        })),
      },
    };
  } finally {
    f.dispose();
    tf.dispose([trainO.x, valO.x, testO.x]);
  }
}
