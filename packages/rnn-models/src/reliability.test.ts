import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileModel } from './compile-model';
import { createRnnClassifier, createRnnRegressor } from './create-rnn-classifier';
import { createSequenceModel } from './create-sequence-model';
import { RnnModelsError, type RnnModelsErrorCode } from './errors';
import { FusedConv1D } from './fused/fused-conv1d';
import { FusedGRU } from './fused/fused-gru';
import { FusedLSTM } from './fused/fused-lstm';
import { FusedSimpleRNN } from './fused/fused-simple-rnn';
import { generateSequence } from './generate-sequence';
import { generateText } from './generate-text';
import { initBackend } from './process-switches';
import { sampleNext } from './sample-next';
import { train } from './train';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const CELLS = ['gru', 'lstm', 'simpleRNN'] as const;
const FUSED = { gru: FusedGRU, lstm: FusedLSTM, simpleRNN: FusedSimpleRNN } as const;

/**
 * Three classes of sequences [n, 5, 3] of seeded normal noise: the class is the feature with the
 * largest sum over the steps. `labels` are the class ids [n] (int32), `y` their one-hot [n, 3].
 */
function threeClasses(n: number, seed: number) {
  return tf.tidy(() => {
    const x = tf.randomNormal([n, 5, 3], 0, 1, 'float32', seed);
    const labels = tf.argMax(tf.sum(x, 1), -1) as tf.Tensor1D;
    return { x, labels, y: tf.oneHot(labels, 3) };
  });
}

/** Noisy sine windows [n, 8, 1] and the next value [n, 1]. */
function sineWindows(n: number, seed: number) {
  return tf.tidy(() => {
    const phase = tf.randomUniform([n, 1], 0, 2 * Math.PI, 'float32', seed);
    const t = tf.range(0, 9).reshape([1, 9]).mul(0.4);
    const wave = tf.sin(tf.add(phase, t));
    return {
      x: wave.slice([0, 0], [n, 8]).reshape([n, 8, 1]),
      y: wave.slice([0, 8], [n, 1]),
    };
  });
}

function classifier(cell: (typeof CELLS)[number] = 'gru', seed = 1) {
  return createRnnClassifier({ cell, units: 4, inputShape: [5, 3], numClasses: 3, seed });
}

/** A copy of `t` with `value` at `index` (a tensor's bufferSync shares its data on cpu). */
function withValue(t: tf.Tensor, index: number[], value: number): tf.Tensor {
  const buffer = tf.buffer(t.shape, 'float32', Float32Array.from(t.dataSync()));
  buffer.set(value, ...index);
  return buffer.toTensor();
}

function weightsOf(model: tf.LayersModel): number[] {
  return model.getWeights().flatMap((w) => Array.from(w.dataSync()));
}

/**
 * Runs `run`, which must throw an RnnModelsError with `code` (and `argument`, and a message that
 * matches every pattern), and must leave as many tensors as there were before.
 */
async function expectTyped(
  run: () => unknown,
  code: RnnModelsErrorCode,
  argument?: string,
  ...patterns: RegExp[]
): Promise<RnnModelsError> {
  const before = tf.memory().numTensors;
  let caught: unknown;
  try {
    await run();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected an error').toBeDefined();
  if (!RnnModelsError.isInstance(caught)) throw caught;
  expect({ code: caught.code, argument: caught.argument }).toEqual({ code, argument });
  for (const pattern of patterns) expect(caught.message).toMatch(pattern);
  expect(tf.memory().numTensors, 'tensors left behind').toBe(before);
  return caught;
}

const quiet = { verbose: 0 } as const;

describe('fused layers check the features of their input', () => {
  for (const cell of CELLS) {
    it(`${cell}: model.apply and layer.apply with 64 features on a 3-feature model throw`, async () => {
      const model = classifier(cell);
      expect(model.layers[0]).toBeInstanceOf(FUSED[cell]);
      const x = tf.randomNormal([1, 5, 64], 0, 1, 'float32', 3);
      const pattern = /\[batch, steps, 3\].*got \[1, 5, 64\]/;
      await expectTyped(() => model.apply(x), 'SHAPE_MISMATCH', 'inputs', pattern);
      await expectTyped(() => model.layers[0].apply(x), 'SHAPE_MISMATCH', 'inputs', pattern);
      // fewer features than built for: the same
      const narrow = tf.randomNormal([2, 5, 2], 0, 1, 'float32', 4);
      await expectTyped(() => model.apply(narrow), 'SHAPE_MISMATCH', 'inputs', /got \[2, 5, 2\]/);
      // the right shape still runs
      expect(
        (model.apply(tf.randomNormal([2, 5, 3], 0, 1, 'float32', 5)) as tf.Tensor).shape,
      ).toEqual([2, 3]);
    });
  }

  it('FusedConv1D.call with other channels than built for throws instead of reading past the filter', async () => {
    const layer = new FusedConv1D({ filters: 4, kernelSize: 3, activation: 'relu' });
    layer.apply(tf.randomNormal([2, 10, 3], 0, 1, 'float32', 1));
    const wide = tf.randomNormal([2, 10, 64], 0, 1, 'float32', 2);
    await expectTyped(
      () => layer.call(wide, {}),
      'SHAPE_MISMATCH',
      'inputs',
      /\[batch, steps, 3\].*got \[2, 10, 64\]/,
    );
  });
});

describe('train: labels', () => {
  for (const [bad, index] of [
    [3, 4],
    [-1, 9],
    [1.5, 0],
    [7, 15],
  ] as const) {
    it(`rejects the sparse label ${bad} (at index ${index}) of a 3-class model`, async () => {
      const { x, labels } = threeClasses(16, 1);
      const values = Array.from(labels.dataSync());
      values[index] = bad;
      const y = tf.tensor1d(values);
      const model = classifier();
      const before = weightsOf(model);
      await expectTyped(
        () => train(model, { x, y }, { loss: 'sparseCategoricalCrossentropy', ...quiet }),
        'INVALID_ARGUMENT',
        'data.y',
        new RegExp(`integers in \\[0, 3\\).*got ${bad} at index \\[${index}\\]`),
      );
      expect(weightsOf(model)).toEqual(before);
    });
  }

  it('rejects labels that are all out of range (today: loss 0, nothing learnt)', async () => {
    const { x } = threeClasses(16, 2);
    const model = classifier();
    const y = tf.fill([16], 5);
    await expectTyped(
      () => train(model, { x, y }, { loss: 'sparseCategoricalCrossentropy', ...quiet }),
      'INVALID_ARGUMENT',
      'data.y',
      /got 5 at index \[0\]/,
    );
  });

  it('takes sparse labels of shape [n, 1] as [n]', async () => {
    const { x, labels } = threeClasses(32, 3);
    const opts = {
      loss: 'sparseCategoricalCrossentropy',
      optimizer: tf.train.sgd(0),
      shuffle: false,
      ...quiet,
    } as const;
    const flat = await train(classifier('gru', 2), { x, y: labels }, opts);
    const column = await train(classifier('gru', 2), { x, y: labels.reshape([32, 1]) }, opts);
    expect(column.history.loss[0]).toBeCloseTo(flat.history.loss[0], 6);
  });

  it('rejects one-hot labels outside [0, 1] for categoricalCrossentropy', async () => {
    const { x, y } = threeClasses(16, 4);
    const model = classifier();
    const twos = tf.mul(y, 2);
    await expectTyped(
      () => train(model, { x, y: twos }, quiet),
      'INVALID_ARGUMENT',
      'data.y',
      /labels in \[0, 1\] for categoricalCrossentropy, got 2 at index \[\d+, \d\]/,
    );
  });
});

describe('train: non-finite values', () => {
  it('rejects one NaN in x up front, naming its index, and keeps the weights', async () => {
    const { x: clean, y } = threeClasses(16, 5);
    const x = withValue(clean, [3, 2, 1], Number.NaN);
    const model = classifier();
    const before = weightsOf(model);
    await expectTyped(
      () => train(model, { x, y }, quiet),
      'NON_FINITE_VALUE',
      'data.x',
      /got NaN at index \[3, 2, 1\]/,
    );
    expect(weightsOf(model)).toEqual(before);
    expect(before.every(Number.isFinite)).toBe(true);
  });

  it('rejects Infinity in x given as nested arrays, and NaN in regression targets', async () => {
    const { x, y } = sineWindows(12, 1);
    const xs = x.arraySync() as number[][][];
    xs[7][4][0] = Number.POSITIVE_INFINITY;
    const model = createRnnRegressor({ cell: 'lstm', units: 4, inputShape: [8, 1], seed: 1 });
    await expectTyped(
      () => train(model, { x: xs, y }, quiet),
      'NON_FINITE_VALUE',
      'data.x',
      /got Infinity at index \[7, 4, 0\]/,
    );
    const ys = y.arraySync() as number[][];
    ys[10][0] = Number.NaN;
    await expectTyped(
      () => train(model, { x, y: ys }, quiet),
      'NON_FINITE_VALUE',
      'data.y',
      /got NaN at index \[10, 0\]/,
    );
  });

  it('stops with TRAINING_DIVERGED when the loss overflows, keeping the weights of the last good batch', async () => {
    const { x, y } = sineWindows(64, 2);
    const model = createRnnRegressor({ cell: 'simpleRNN', units: 8, inputShape: [8, 1], seed: 3 });
    let lastGood = weightsOf(model);
    let batches = 0;
    const error = await expectTyped(
      () =>
        train(
          model,
          { x, y },
          {
            optimizer: 'sgd',
            learningRate: 1e6,
            epochs: 20,
            batchSize: 8,
            seed: 1,
            ...quiet,
            callbacks: {
              onBatchEnd: () => {
                batches += 1;
                lastGood = weightsOf(model);
              },
            },
          },
        ),
      'TRAINING_DIVERGED',
      undefined,
      /the loss became (NaN|Infinity|-Infinity) at epoch \d+\/20, batch \d\/8/,
    );
    expect(error.message).toMatch(/keeps the weights/);
    expect(batches).toBeGreaterThan(0);
    expect(weightsOf(model)).toEqual(lastGood);
    expect(lastGood.every(Number.isFinite)).toBe(true);
  });

  it('stops at the first batch when unscaled targets overflow the loss', async () => {
    // targets of order 1e20 (unscaled): their squared error, 1e40, is past float32's 3.4e38
    const { x, y } = sineWindows(16, 6);
    const model = createRnnRegressor({ cell: 'lstm', units: 4, inputShape: [8, 1], seed: 2 });
    const before = weightsOf(model);
    const optimizer = tf.train.sgd(0.1);
    const unscaled = tf.mul(y, 1e20);
    await expectTyped(
      () => train(model, { x, y: unscaled }, { optimizer, ...quiet }),
      'TRAINING_DIVERGED',
      undefined,
      /epoch 1\/1, batch 1\/1/,
    );
    expect(weightsOf(model)).toEqual(before);
  });
});

describe('train: tensors', () => {
  it('leaves no tensors behind on an uncompiled model (the optimizer it makes is disposed)', async () => {
    const { x, y } = threeClasses(24, 7);
    const model = classifier('lstm');
    for (const options of [{}, { optimizer: 'rmsprop', learningRate: 0.01 }] as const) {
      const before = tf.memory().numTensors;
      await train(
        model,
        { x, y },
        { batchSize: 8, validationData: { x, y }, ...options, ...quiet },
      );
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it('leaves no tensors behind with arrays, [n] targets and sparse [n, 1] labels', async () => {
    const { x, labels } = threeClasses(16, 8);
    const xs = x.arraySync() as number[][][];
    const ys = Array.from(labels.dataSync(), (l) => [l]);
    const model = classifier();
    const sine = sineWindows(8, 3);
    const regressor = createRnnRegressor({ cell: 'gru', units: 2, inputShape: [8, 1], seed: 1 });
    const flat = sine.y.reshape([8]);
    const before = tf.memory().numTensors;
    await train(model, { x: xs, y: ys }, { loss: 'sparseCategoricalCrossentropy', ...quiet });
    expect(tf.memory().numTensors).toBe(before);
    await train(regressor, { x: sine.x, y: flat }, quiet);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a compiled model keeps only its optimizer state: a second train adds nothing', async () => {
    const { x, y } = threeClasses(16, 9);
    const model = compileModel(classifier(), { learningRate: 0.01 });
    await train(model, { x, y }, quiet);
    const before = tf.memory().numTensors;
    await train(model, { x, y }, { epochs: 2, ...quiet });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('train: typed errors instead of tfjs errors', () => {
  it('x with other features than the model takes: SHAPE_MISMATCH naming both shapes', async () => {
    const { y } = threeClasses(16, 10);
    const x = tf.randomNormal([16, 5, 4], 0, 1, 'float32', 10);
    for (const layerImplementation of ['fused', 'stock'] as const) {
      const model = createRnnClassifier({
        cell: 'gru',
        units: 4,
        inputShape: [5, 3],
        numClasses: 3,
        seed: 1,
        layerImplementation,
      });
      await expectTyped(
        () => train(model, { x, y }, quiet),
        'SHAPE_MISMATCH',
        'data.x',
        /expected shape \[16, 5, 3\].*got \[16, 5, 4\]/,
      );
    }
    const model = classifier();
    const flat = tf.randomNormal([16, 15], 0, 1, 'float32', 1);
    await expectTyped(
      () => train(model, { x: flat, y }, quiet),
      'SHAPE_MISMATCH',
      'data.x',
      /got \[16, 15\]/,
    );
  });

  it('x and y with different numbers of examples: SHAPE_MISMATCH on data.y', async () => {
    const { x, y } = threeClasses(16, 11);
    const model = classifier();
    const fewer = y.slice(0, 12);
    await expectTyped(
      () => train(model, { x, y: fewer }, quiet),
      'SHAPE_MISMATCH',
      'data.y',
      /16 examples like data.x, got 12/,
    );
  });

  it('integer class ids with the default categoricalCrossentropy: SHAPE_MISMATCH saying what to do', async () => {
    const { x, labels } = threeClasses(16, 12);
    const model = classifier();
    for (const y of [labels, labels.reshape([16, 1])]) {
      await expectTyped(
        () => train(model, { x, y }, quiet),
        'SHAPE_MISMATCH',
        'data.y',
        /one-hot labels of shape \[16, 3\] for categoricalCrossentropy/,
        /loss: 'sparseCategoricalCrossentropy'/,
      );
    }
  });

  it('targets of another shape than the output: SHAPE_MISMATCH', async () => {
    const { x } = sineWindows(8, 4);
    const model = createRnnRegressor({ cell: 'gru', units: 2, inputShape: [8, 1], seed: 1 });
    const wide = tf.zeros([8, 3]);
    await expectTyped(
      () => train(model, { x, y: wide }, quiet),
      'SHAPE_MISMATCH',
      'data.y',
      /shape \[8, 1\] for meanSquaredError/,
    );
  });

  it('checks validation data the same way', async () => {
    const { x, y, labels } = threeClasses(16, 13);
    const model = classifier();
    const before = weightsOf(model);
    const run =
      (validationData: { x: tf.Tensor; y: tf.Tensor }, extra = {}) =>
      () =>
        train(model, { x, y }, { validationData, ...extra, ...quiet });
    await expectTyped(
      run({ x: tf.randomNormal([4, 5, 2], 0, 1, 'float32', 1), y: y.slice(0, 4) }),
      'SHAPE_MISMATCH',
      'validationData.x',
      /expected shape \[4, 5, 3\].*got \[4, 5, 2\]/,
    );
    await expectTyped(
      run({ x, y: y.slice(0, 8) }),
      'SHAPE_MISMATCH',
      'validationData.y',
      /16 examples like validationData.x, got 8/,
    );
    await expectTyped(
      run({ x, y: labels }),
      'SHAPE_MISMATCH',
      'validationData.y',
      /sparseCategoricalCrossentropy/,
    );
    await expectTyped(
      run({ x: withValue(x, [0, 0, 0], Number.NaN), y }),
      'NON_FINITE_VALUE',
      'validationData.x',
      /got NaN at index \[0, 0, 0\]/,
    );
    const outOfRange = tf.add(labels, 3);
    await expectTyped(
      () =>
        train(
          model,
          { x, y: labels },
          {
            loss: 'sparseCategoricalCrossentropy',
            validationData: { x, y: outOfRange },
            ...quiet,
          },
        ),
      'INVALID_ARGUMENT',
      'validationData.y',
      /integers in \[0, 3\).*got [345] at index \[0\]/,
    );
    expect(weightsOf(model)).toEqual(before);
  });
});

describe('train: more silent cases', () => {
  it('rejects empty data instead of returning a null loss', async () => {
    const model = classifier();
    const [x, y] = [tf.zeros([0, 5, 3]), tf.zeros([0, 3])];
    await expectTyped(
      () => train(model, { x, y }, quiet),
      'INVALID_ARGUMENT',
      'data.x',
      /at least one example/,
    );
  });

  it('rejects ragged nested arrays with a typed error', async () => {
    const model = createRnnRegressor({ cell: 'gru', units: 2, inputShape: [2, 1], seed: 1 });
    await expectTyped(
      () => train(model, { x: [[[1], [2]], [[3]]], y: [[1], [2]] }, quiet),
      'SHAPE_MISMATCH',
      'data.x',
      /rectangular.*\[2, 2, 1\].*got a row of 1 at index \[1\]/,
    );
    await expectTyped(
      () =>
        train(
          model,
          {
            x: [
              [[1], [2]],
              [[3], ['4']],
            ],
            y: [[1], [2]],
          } as never,
          quiet,
        ),
      'INVALID_ARGUMENT',
      'data.x',
      /numbers, got '4' at index \[1, 1, 0\]/,
    );
  });

  it('rejects class weights for classes the model does not have, or not finite', async () => {
    const { x, y } = threeClasses(16, 14);
    const model = classifier();
    await expectTyped(
      () => train(model, { x, y }, { classWeight: { 0: 1, 5: 2 }, ...quiet }),
      'INVALID_ARGUMENT',
      'classWeight',
      /class indices in \[0, 3\).*got 5/,
    );
    await expectTyped(
      () => train(model, { x, y }, { classWeight: [1, Number.POSITIVE_INFINITY], ...quiet }),
      'INVALID_ARGUMENT',
      'classWeight[1]',
    );
  });

  it('gives classes left out of classWeight the weight 1 (Keras), not the last weight given', async () => {
    const { x, y } = threeClasses(24, 15);
    const model = classifier('gru', 3);
    const pred = model.predict(x) as tf.Tensor;
    const perExample = tf.neg(tf.sum(tf.mul(y, tf.log(pred)), -1)).arraySync() as number[];
    const classes = tf.argMax(y, -1).arraySync() as number[];
    expect(new Set(classes).size).toBe(3);
    const w = [0.5, 2, 1];
    const expected = perExample.reduce((s, l, i) => s + l * w[classes[i]], 0) / 24;
    const { history } = await train(
      model,
      { x, y },
      { optimizer: tf.train.sgd(0), classWeight: [0.5, 2], batchSize: 24, ...quiet },
    );
    expect(history.loss[0]).toBeCloseTo(expected, 5);
  });

  it('reads regression targets [n] as [n, 1] for a one-output model instead of broadcasting to [n, n]', async () => {
    const { x, y } = sineWindows(16, 5);
    const make = () => createRnnRegressor({ cell: 'gru', units: 3, inputShape: [8, 1], seed: 4 });
    const opts = { optimizer: tf.train.sgd(0), batchSize: 16, ...quiet };
    const column = (await train(make(), { x, y }, opts)).history.loss[0];
    const flat = (await train(make(), { x, y: y.reshape([16]) }, opts)).history.loss[0];
    expect(flat).toBeCloseTo(column, 6);
  });

  it('rejects token ids that are fractional or outside the Embedding', async () => {
    const model = createSequenceModel({
      task: 'classification',
      cell: 'gru',
      units: 4,
      inputShape: [6],
      numClasses: 2,
      embedding: { inputDim: 10, outputDim: 3 },
      seed: 1,
    });
    const ids = tf.tidy(() =>
      tf.floor(tf.randomUniform([8, 6], 0, 10, 'float32', 2)).arraySync(),
    ) as number[][];
    const y = tf.oneHot(tf.tensor1d([0, 1, 0, 1, 1, 0, 1, 0], 'int32'), 2);
    ids[2][3] = 4.5;
    await expectTyped(
      () => train(model, { x: ids, y }, quiet),
      'INVALID_ARGUMENT',
      'data.x',
      /token ids, integers in \[0, 10\).*got 4\.5 at index \[2, 3\]/,
    );
    ids[2][3] = 12;
    await expectTyped(
      () => train(model, { x: ids, y }, quiet),
      'INVALID_ARGUMENT',
      'data.x',
      /got 12 at index \[2, 3\]/,
    );
  });

  it('checks options before training: earlyStopping monitor, clipNorm, learningRate', async () => {
    const { x, y } = threeClasses(16, 16);
    const model = classifier();
    const before = weightsOf(model);
    let began = false;
    await expectTyped(
      () =>
        train(
          model,
          { x, y },
          {
            earlyStopping: { monitor: 'val_loss' },
            callbacks: {
              onTrainBegin: () => {
                began = true;
              },
            },
            ...quiet,
          },
        ),
      'INVALID_ARGUMENT',
      'earlyStopping.monitor',
      /one of loss, accuracy/,
    );
    expect(began).toBe(false);
    expect(weightsOf(model)).toEqual(before);
    await expectTyped(
      () => train(model, { x, y }, { clipNorm: -1, ...quiet }),
      'INVALID_ARGUMENT',
      'clipNorm',
    );
    await expectTyped(
      () => train(model, { x, y }, { learningRate: Number.POSITIVE_INFINITY, ...quiet }),
      'INVALID_CONFIG',
      'learningRate',
    );
    for (const batchSize of [0, -4, 2.5]) {
      await expectTyped(
        () => train(model, { x, y }, { batchSize, ...quiet }),
        'INVALID_ARGUMENT',
        'batchSize',
      );
    }
    for (const epochs of [-1, 0.5, Number.NaN]) {
      await expectTyped(
        () => train(model, { x, y }, { epochs, ...quiet }),
        'INVALID_ARGUMENT',
        'epochs',
      );
    }
    expect(weightsOf(model)).toEqual(before);
  });
});

describe('sampleNext and generation', () => {
  it('rejects NaN scores', async () => {
    await expectTyped(
      () => sampleNext([Number.NaN, Number.NaN, Number.NaN]),
      'NON_FINITE_VALUE',
      'logits',
    );
    await expectTyped(
      () => sampleNext([0.2, Number.NaN, 1], { seed: 1 }),
      'NON_FINITE_VALUE',
      'logits',
      /at index 1/,
    );
  });

  it('lets +Infinity logits win, sharing the draw among them; -Infinity is never drawn', () => {
    for (let seed = 0; seed < 20; seed++) {
      expect(sampleNext([0, Number.POSITIVE_INFINITY, 1], { seed })).toBe(1);
      expect(sampleNext([5, Number.NEGATIVE_INFINITY, 1], { seed, temperature: 50 })).not.toBe(1);
    }
    expect(sampleNext([0, Number.POSITIVE_INFINITY, 1], { temperature: 0 })).toBe(1);
    expect(sampleNext([0, Number.POSITIVE_INFINITY, 1], { topK: 2, seed: 3 })).toBe(1);
    const drawn = new Set(
      Array.from({ length: 40 }, (_, seed) =>
        sampleNext([Number.POSITIVE_INFINITY, 0, Number.POSITIVE_INFINITY], { seed }),
      ),
    );
    expect([...drawn].sort()).toEqual([0, 2]);
  });

  it('rejects every logit -Infinity', async () => {
    await expectTyped(
      () => sampleNext([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY]),
      'INVALID_ARGUMENT',
      'logits',
    );
  });

  it('rejects negative, non-finite and all-zero probabilities', async () => {
    const p = { fromProbabilities: true } as const;
    await expectTyped(
      () => sampleNext([0.5, -0.1, 0.6], p),
      'INVALID_ARGUMENT',
      'logits',
      /got -0.1 at index 1/,
    );
    await expectTyped(() => sampleNext([0, 0, 0], p), 'INVALID_ARGUMENT', 'logits', /positive sum/);
    await expectTyped(
      () => sampleNext([0.2, Number.POSITIVE_INFINITY], p),
      'NON_FINITE_VALUE',
      'logits',
    );
    await expectTyped(() => sampleNext([Number.NaN, 0.5], p), 'NON_FINITE_VALUE', 'logits');
  });

  it('never draws an index of probability 0, even at a high temperature', () => {
    for (let seed = 0; seed < 200; seed++) {
      expect(
        sampleNext([0.7, 0, 0.3], { fromProbabilities: true, temperature: 100, seed }),
      ).not.toBe(1);
    }
  });

  it('rejects a temperature that is not finite', async () => {
    await expectTyped(
      () => sampleNext([1, 2], { temperature: Number.POSITIVE_INFINITY }),
      'INVALID_ARGUMENT',
      'temperature',
    );
  });

  it('generateText rejects seed text the alphabet maps outside its ids', async () => {
    const letters = 'abc';
    const alphabet = {
      size: 3,
      encode: (text: string) => [...text].map((ch) => letters.indexOf(ch)),
      decode: (ids: readonly number[]) => ids.map((i) => letters[i]).join(''),
    };
    const model = createRnnClassifier({
      cell: 'lstm',
      units: 4,
      inputShape: [4, 3],
      numClasses: 3,
      seed: 1,
    });
    expect(generateText(model, { seedText: 'abca', length: 3, alphabet, seed: 2 })).toHaveLength(3);
    await expectTyped(
      () => generateText(model, { seedText: 'abxa', length: 3, alphabet, seed: 2 }),
      'INVALID_ARGUMENT',
      'seedText',
      /ids in \[0, 3\), got id -1 at index 2/,
    );
    const tooBig = { ...alphabet, encode: () => [0, 1, 3, 2] };
    await expectTyped(
      () => generateText(model, { seedText: 'abca', length: 3, alphabet: tooBig, seed: 2 }),
      'INVALID_ARGUMENT',
      'seedText',
      /got id 3 at index 2/,
    );
  });

  it('generateSequence rejects a seed with NaN', async () => {
    const model = createRnnRegressor({ cell: 'gru', units: 3, inputShape: [6, 1], seed: 1 });
    const seed = Array.from({ length: 6 }, (_, t) => Math.sin(t / 2));
    seed[4] = Number.NaN;
    await expectTyped(
      () => generateSequence(model, seed, 3),
      'NON_FINITE_VALUE',
      'seed',
      /index 4/,
    );
  });
});

describe('seeds, option objects and value types (hostile inputs)', () => {
  it('sampleNext refuses seeds its 32-bit generator would alias (1.5, 2^32 + 1 were seed 1; NaN seed 0)', async () => {
    const flat = [1, 1, 1, 1, 1, 1, 1, 1];
    for (const seed of [1.5, 2 ** 32 + 1, Number.NaN, -(2 ** 31) - 1, '1']) {
      await expectTyped(
        () => sampleNext(flat, { seed: seed as number }),
        'INVALID_ARGUMENT',
        'seed',
        /32-bit seed/,
      );
    }
    expect(sampleNext(flat, { seed: 2 ** 32 - 1 })).toBe(sampleNext(flat, { seed: -1 }));
  });

  it('sampleNext refuses scores that are not numbers instead of coercing them', async () => {
    await expectTyped(
      () => sampleNext([1, 'x', 2] as unknown as number[]),
      'INVALID_ARGUMENT',
      'logits',
      /expected numbers, got 'x' at index 1/,
    );
    await expectTyped(
      () => sampleNext(['1', '2'] as unknown as number[]),
      'INVALID_ARGUMENT',
      'logits',
    );
    await expectTyped(
      () => sampleNext([true, false] as unknown as number[]),
      'INVALID_ARGUMENT',
      'logits',
    );
    await expectTyped(
      () => sampleNext(null as unknown as number[]),
      'INVALID_ARGUMENT',
      'logits',
      /got null/,
    );
  });

  it('sampleNext refuses a random() that draws outside [0, 1) (was: the last index, silently)', async () => {
    for (const u of [Number.NaN, 1, 5, -0.5]) {
      await expectTyped(
        () => sampleNext([9, 0, 0], { random: () => u }),
        'INVALID_ARGUMENT',
        'random',
        /floats in \[0, 1\)/,
      );
    }
    await expectTyped(
      () => sampleNext([1, 2], { random: 5 as unknown as () => number }),
      'INVALID_ARGUMENT',
      'random',
    );
    expect(sampleNext([9, 0, 0], { random: () => 0.5 })).toBe(0);
  });

  it('sampleNext and the generators refuse null options with a typed error, not a TypeError', async () => {
    await expectTyped(
      () => sampleNext([1, 2], null as unknown as object),
      'INVALID_ARGUMENT',
      'options',
    );
    await expectTyped(
      () => sampleNext([1, 2], { fromProbabilities: 'yes' as unknown as boolean }),
      'INVALID_ARGUMENT',
      'fromProbabilities',
    );
  });

  it("initBackend('wasm') (a string for the options) is refused, not read as 'pick any backend'", async () => {
    for (const options of ['wasm', null]) {
      await expectTyped(
        () => initBackend(options as never),
        'INVALID_ARGUMENT',
        'options',
        /expected an options object or undefined/,
      );
    }
    expect(tf.getBackend()).toBe('cpu');
  });

  it('messages write NaN and Infinity as such, not as null (JSON.stringify)', async () => {
    await expectTyped(
      () => sampleNext([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY]),
      'INVALID_ARGUMENT',
      'logits',
      /got \[-Infinity,-Infinity\]$/,
    );
    const model = classifier();
    const { x, y } = threeClasses(8, 1);
    await expectTyped(
      () => train(model, { x, y }, { ...quiet, learningRate: Number.NaN }),
      'INVALID_CONFIG',
      'learningRate',
      /got NaN$/,
    );
    tf.dispose([x, y]);
  });

  it('generateText refuses a seed its generator would alias, an encode without an array, no options', async () => {
    const letters = 'abc';
    const alphabet = {
      size: 3,
      encode: (text: string) => [...text].map((ch) => letters.indexOf(ch)),
      decode: (ids: readonly number[]) => ids.map((i) => letters[i]).join(''),
    };
    const model = createRnnClassifier({
      cell: 'lstm',
      units: 4,
      inputShape: [4, 3],
      numClasses: 3,
      seed: 1,
    });
    for (const seed of [1.5, 2 ** 32 + 1]) {
      await expectTyped(
        () => generateText(model, { seedText: 'ab', length: 3, alphabet, seed }),
        'INVALID_ARGUMENT',
        'seed',
      );
    }
    await expectTyped(
      () =>
        generateText(model, {
          seedText: 'ab',
          length: 3,
          alphabet: { ...alphabet, encode: () => 'ab' as unknown as number[] },
        }),
      'INVALID_ARGUMENT',
      'alphabet',
    );
    await expectTyped(
      () => generateText(model, undefined as unknown as Parameters<typeof generateText>[1]),
      'INVALID_ARGUMENT',
      'options',
    );
    model.dispose();
  });

  it('train refuses seeds beyond 32 bits (2^32 + 1 trained exactly as seed 1) and null options', async () => {
    const model = classifier();
    const { x, y } = threeClasses(8, 1);
    await expectTyped(
      () => train(model, { x, y }, { ...quiet, seed: 2 ** 32 + 1 }),
      'INVALID_ARGUMENT',
      'seed',
      /got 4294967297/,
    );
    await expectTyped(
      () => train(model, { x, y }, null as unknown as object),
      'INVALID_ARGUMENT',
      'options',
    );
    tf.dispose([x, y]);
  });

  it("train refuses classWeight keys that only Number() reads as classes ('1e0', ' 1', '01', '')", async () => {
    const model = classifier();
    const { x, y } = threeClasses(8, 1);
    for (const key of ['1e0', ' 1', '01', '', '1.0']) {
      await expectTyped(
        () => train(model, { x, y }, { ...quiet, classWeight: { [key]: 2 } }),
        'INVALID_ARGUMENT',
        'classWeight',
        /as keys/,
      );
    }
    await train(model, { x, y }, { ...quiet, classWeight: { 0: 1, 2: 3 } });
    tf.dispose([x, y]);
  });
});
