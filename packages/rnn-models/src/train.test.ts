import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createRnnClassifier } from './create-rnn-classifier';
import { createSequenceModel } from './create-sequence-model';
import { LSTMCell } from './lstm-cell';
import { train } from './train';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** y = w·x + b with w = 0, b = 0: gradients are easy to work out by hand. */
function linearModel(): tf.Sequential {
  const model = tf.sequential();
  model.add(
    tf.layers.dense({
      units: 1,
      inputShape: [2],
      kernelInitializer: 'zeros',
      biasInitializer: 'zeros',
    }),
  );
  return model;
}

function weightsOf(model: tf.LayersModel): number[] {
  return model.getWeights().flatMap((w) => Array.from(w.dataSync()));
}

function classificationData(n: number, seed: number) {
  return tf.tidy(() => {
    const x = tf.randomNormal([n, 5, 2], 0, 1, 'float32', seed);
    const labels = tf.cast(tf.greater(tf.sum(x, [1, 2]), 0), 'int32') as tf.Tensor1D;
    return { x, y: tf.oneHot(labels, 2), labels };
  });
}

describe('train', () => {
  // x = [3, 4], y = 10, prediction 0: dL/dp = 2(0 − 10) = −20, so grad w = [−60, −80], grad b = −20;
  // global norm = sqrt(60² + 80² + 20²) = sqrt(10400) = 101.9804; SGD with lr 1 then moves by
  // [60, 80, 20] / 101.9804 = [0.588348, 0.784465, 0.196116].
  it('clips by global norm as tf.clip_by_global_norm (hand-checked)', async () => {
    const model = linearModel();
    await train(
      model,
      { x: [[3, 4]], y: [[10]] },
      { optimizer: tf.train.sgd(1), clipNorm: 1, verbose: 0 },
    );
    const [w1, w2, b] = weightsOf(model);
    expect(w1).toBeCloseTo(0.588348, 5);
    expect(w2).toBeCloseTo(0.784465, 5);
    expect(b).toBeCloseTo(0.196116, 5);
  });

  it('leaves gradients under the norm alone', async () => {
    const model = linearModel();
    await train(
      model,
      { x: [[3, 4]], y: [[10]] },
      { optimizer: tf.train.sgd(0.001), clipNorm: 1000, verbose: 0 },
    );
    expect(weightsOf(model)).toEqual([0.06, 0.08, 0.02].map((v) => expect.closeTo(v, 6)));
  });

  it('clips each element with clipValue', async () => {
    const model = linearModel();
    await train(
      model,
      { x: [[3, 4]], y: [[10]] },
      { optimizer: tf.train.sgd(1), clipValue: 5, verbose: 0 },
    );
    expect(weightsOf(model)).toEqual([5, 5, 5]);
  });

  it('weights the loss by class as Keras class_weight: Σ w·loss / n', async () => {
    const { x, y } = classificationData(16, 1);
    const model = createRnnClassifier({
      cell: 'simpleRNN',
      units: 3,
      inputShape: [5, 2],
      numClasses: 2,
      seed: 2,
    });
    const pred = model.predict(x) as tf.Tensor;
    const perExample = tf.neg(tf.sum(tf.mul(y, tf.log(pred)), -1)).arraySync() as number[];
    const classes = tf.argMax(y, -1).arraySync() as number[];
    const expected = perExample.reduce((s, l, i) => s + l * (classes[i] === 1 ? 3 : 0.5), 0) / 16;
    const { history } = await train(
      model,
      { x, y },
      {
        optimizer: tf.train.sgd(0),
        classWeight: { 0: 0.5, 1: 3 },
        batchSize: 16,
        verbose: 0,
      },
    );
    expect(history.loss[0]).toBeCloseTo(expected, 5);
  });

  it('stops early after patience epochs without improvement and restores the best weights', async () => {
    const model = linearModel();
    // Too large a step: the loss grows every epoch, so epoch 0 stays the best.
    const snapshots: number[][] = [];
    const result = await train(
      model,
      { x: [[3, 4]], y: [[10]] },
      {
        optimizer: tf.train.sgd(0.1),
        epochs: 10,
        earlyStopping: { monitor: 'loss', patience: 2, restoreBestWeights: true },
        callbacks: { onEpochEnd: () => void snapshots.push(weightsOf(model)) },
        verbose: 0,
      },
    );
    expect(result.epoch).toEqual([0, 1, 2, 3]);
    expect(result.stoppedEpoch).toBe(3);
    expect(result.restoredEpoch).toBe(0);
    expect(weightsOf(model)).toEqual(snapshots[0]);
  });

  it('reports validation loss and accuracy and returns plain JSON', async () => {
    const train1 = classificationData(32, 3);
    const valid = classificationData(16, 4);
    const model = createRnnClassifier({
      cell: 'gru',
      units: 4,
      inputShape: [5, 2],
      numClasses: 2,
      seed: 5,
    });
    const history = await train(model, train1, {
      epochs: 2,
      batchSize: 8,
      validationData: valid,
      seed: 1,
      verbose: 0,
    });
    expect(Object.keys(history.history)).toEqual(['loss', 'accuracy', 'val_loss', 'val_accuracy']);
    expect(JSON.parse(JSON.stringify(history))).toEqual(history);
    expect(history.params).toEqual({
      epochs: 2,
      batchSize: 8,
      samples: 32,
      steps: 4,
      loss: 'categoricalCrossentropy',
    });
  });

  it('gives the same history for the same seeds', async () => {
    const run = async () => {
      const { x, y } = classificationData(24, 6);
      const model = createRnnClassifier({
        cell: 'lstm',
        units: 4,
        inputShape: [5, 2],
        numClasses: 2,
        seed: 7,
      });
      return (await train(model, { x, y }, { epochs: 2, batchSize: 8, seed: 11, verbose: 0 }))
        .history;
    };
    expect(await run()).toEqual(await run());
  });

  it('gives the same history for the same seeds with dropout and recurrent dropout', async () => {
    const run = async (seed: number) => {
      const { x, y } = classificationData(24, 6);
      const model = createRnnClassifier({
        cell: 'lstm',
        units: 4,
        inputShape: [5, 2],
        numClasses: 2,
        dropout: 0.3,
        recurrentDropout: 0.3,
        seed: 7,
      });
      return (await train(model, { x, y }, { epochs: 2, batchSize: 8, seed, verbose: 0 })).history;
    };
    const first = await run(11);
    expect(await run(11)).toEqual(first);
    expect(await run(12)).not.toEqual(first);
  });

  it('never replaces Math.random, and repeats a seeded run with Dropout layers and recurrent dropout', async () => {
    const original = Math.random;
    const seen: boolean[] = [];
    const check = () => {
      seen.push(Math.random === original);
    };
    const run = async (seed: number) => {
      const { x, y } = classificationData(24, 6);
      const model = tf.sequential({
        layers: [
          tf.layers.gru({
            units: 4,
            inputShape: [5, 2],
            recurrentDropout: 0.3,
            dropout: 0.2,
            returnSequences: true,
            kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
            recurrentInitializer: tf.initializers.orthogonal({ seed: 2 }),
          }),
          tf.layers.spatialDropout1d({ rate: 0.3 }),
          tf.layers.flatten(),
          tf.layers.dropout({ rate: 0.4 }),
          tf.layers.dense({
            units: 2,
            activation: 'softmax',
            kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
          }),
        ],
      });
      const history = await train(
        model,
        { x, y },
        {
          epochs: 2,
          batchSize: 8,
          seed,
          verbose: 0,
          callbacks: { onTrainBegin: check, onBatchEnd: check, onEpochEnd: check },
        },
      );
      // and the layers keep their own settings
      expect((model.layers[3] as unknown as { seed?: number }).seed).toBeUndefined();
      return history.history;
    };
    const first = await run(11);
    expect(await run(11)).toEqual(first);
    expect(await run(12)).not.toEqual(first);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every(Boolean)).toBe(true);
    expect(Math.random).toBe(original);
  });

  it('restores Math.random after a seeded run', async () => {
    const original = Math.random;
    const { x, y } = classificationData(8, 6);
    const model = createRnnClassifier({
      cell: 'simpleRNN',
      units: 2,
      inputShape: [5, 2],
      numClasses: 2,
      seed: 1,
    });
    await train(model, { x, y }, { epochs: 1, batchSize: 8, seed: 3, verbose: 0 });
    expect(Math.random).toBe(original);
  });

  it('learns with integer labels and sparseCategoricalCrossentropy', async () => {
    const { x, labels } = classificationData(64, 8);
    const model = createRnnClassifier({
      cell: 'simpleRNN',
      units: 8,
      inputShape: [5, 2],
      numClasses: 2,
      seed: 9,
    });
    const { history } = await train(
      model,
      { x, y: labels },
      {
        loss: 'sparseCategoricalCrossentropy',
        epochs: 15,
        learningRate: 0.02,
        seed: 1,
        verbose: 0,
      },
    );
    expect(history.loss.at(-1)!).toBeLessThan(history.loss[0] * 0.6);
    expect(history.accuracy.at(-1)!).toBeGreaterThan(0.8);
  });

  it('includes L1/L2 penalties of the model in the loss', async () => {
    const { x, y } = classificationData(8, 10);
    const base = { cell: 'gru', units: 3, inputShape: [5, 2], numClasses: 2, seed: 3 } as const;
    const opts = { optimizer: tf.train.sgd(0), batchSize: 8, verbose: 0 } as const;
    const a = (await train(createRnnClassifier(base), { x, y }, opts)).history.loss[0];
    const b = (
      await train(createRnnClassifier({ ...base, recurrentRegularizer: { l2: 5 } }), { x, y }, opts)
    ).history.loss[0];
    expect(b).toBeGreaterThan(a + 0.5);
  });

  it('trains a from-scratch LSTMCell on sequences to the next value', async () => {
    const cell = new LSTMCell({ inputSize: 1, units: 6, outputSize: 1, seed: 2 });
    const xs = Array.from({ length: 16 }, (_, k) =>
      Array.from({ length: 8 }, (_, t) => [Math.sin(k * 0.4 + t * 0.3)]),
    );
    const ys = Array.from({ length: 16 }, (_, k) => [Math.sin(k * 0.4 + 8 * 0.3)]);
    const { history } = await train(
      cell,
      { x: xs, y: ys },
      { epochs: 40, batchSize: 16, learningRate: 0.03, verbose: 0 },
    );
    expect(history.loss.at(-1)!).toBeLessThan(history.loss[0] * 0.2);
  });

  it('leaks no tensors', async () => {
    const { x, y } = classificationData(16, 12);
    const model = createRnnClassifier({
      cell: 'gru',
      units: 3,
      inputShape: [5, 2],
      numClasses: 2,
      seed: 4,
    });
    const optimizer = tf.train.sgd(0.1);
    await train(model, { x, y }, { optimizer, batchSize: 8, clipNorm: 1, verbose: 0 }); // warm-up
    const before = tf.memory().numTensors;
    await train(
      model,
      { x, y },
      { optimizer, batchSize: 8, clipNorm: 1, epochs: 2, verbose: 0, validationData: { x, y } },
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('prints one plain line per epoch when stdout is not a terminal', async () => {
    const writes: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      writes.push(String(chunk));
      return true;
    });
    const tty = process.stdout.isTTY;
    process.stdout.isTTY = false;
    try {
      await train(
        linearModel(),
        { x: [[3, 4]], y: [[10]] },
        { optimizer: tf.train.sgd(0.001), epochs: 2 },
      );
    } finally {
      spy.mockRestore();
      process.stdout.isTTY = tty;
    }
    expect(writes).toHaveLength(2);
    expect(writes[0]).toMatch(/^Epoch 1\/2 - [\d.]+s - loss: \d+\.\d{4}\n$/);
  });

  it('trains a stateful model at its fixed batch size and refuses another', async () => {
    const model = createSequenceModel({
      cell: 'lstm',
      units: 3,
      inputShape: [4, 2],
      batchSize: 4,
      stateful: true,
      seed: 1,
    });
    const x = tf.randomNormal([8, 4, 2], 0, 1, 'float32', 1);
    const y = tf.randomNormal([8, 1], 0, 1, 'float32', 2);
    const { history } = await train(model, { x, y }, { batchSize: 4, shuffle: false, verbose: 0 });
    expect(Number.isFinite(history.loss[0])).toBe(true);
    await expect(train(model, { x, y }, { batchSize: 8, verbose: 0 })).rejects.toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'batchSize' }),
    );
  });

  it('rejects x and y of different lengths with SHAPE_MISMATCH', async () => {
    await expect(
      train(linearModel(), { x: [[1, 2]], y: [[1], [2]] }, { verbose: 0 }),
    ).rejects.toThrow(expect.objectContaining({ code: 'SHAPE_MISMATCH', argument: 'data.y' }));
  });
});
