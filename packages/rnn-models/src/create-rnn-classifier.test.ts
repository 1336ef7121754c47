import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileModel } from './compile-model';
import { createRnnClassifier, createRnnRegressor } from './create-rnn-classifier';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function weightsOf(model: tf.LayersModel): number[][] {
  return model.getWeights().map((w) => Array.from(w.dataSync()));
}

describe('createRnnClassifier', () => {
  it('builds a one-layer softmax classifier by default', () => {
    const model = createRnnClassifier({
      cell: 'simpleRNN',
      units: 4,
      inputShape: [6, 3],
      numClasses: 5,
    });
    expect(model.layers.map((l) => l.getClassName())).toEqual(['SimpleRNN', 'Dense']);
    expect(model.outputs[0].shape).toEqual([null, 5]);
    expect(model.layers[1].getConfig().activation).toBe('softmax');
  });

  it('sets returnSequences on every stacked layer but the last', () => {
    const model = createRnnClassifier({
      cell: 'lstm',
      units: 4,
      layers: 3,
      inputShape: [6, 3],
      numClasses: 2,
    });
    const flags = model.layers.slice(0, 3).map((l) => l.getConfig().returnSequences);
    expect(flags).toEqual([true, true, false]);
  });

  it('uses sigmoid recurrent activation (Keras 2, PyTorch), not tfjs hardSigmoid', () => {
    for (const cell of ['lstm', 'gru'] as const) {
      const model = createRnnClassifier({ cell, units: 2, inputShape: [3, 2], numClasses: 2 });
      expect(model.layers[0].getConfig().recurrentActivation).toBe('sigmoid');
    }
  });

  it('answers the review questions on parameter counts', () => {
    const rnn = createRnnClassifier({
      cell: 'simpleRNN',
      units: [32, 64],
      inputShape: [null, 30],
      numClasses: 10,
    });
    // (30·32 + 32·32 + 32) + (32·64 + 64·64 + 64) + (64·10 + 10) = 2016 + 6208 + 650
    expect(rnn.countParams()).toBe(8874);
    const lstm = createRnnClassifier({
      cell: 'lstm',
      units: [32, 64],
      inputShape: [null, 30],
      numClasses: 10,
    });
    // 4 · 2016 + 4 · 6208 + 650 = 8064 + 24832 + 650
    expect(lstm.countParams()).toBe(33546);
  });

  it('gives the same weights for the same seed and different weights for another', () => {
    const config = { cell: 'gru', units: 3, layers: 2, inputShape: [4, 2], numClasses: 3 } as const;
    const a = weightsOf(createRnnClassifier({ ...config, seed: 7 }));
    const b = weightsOf(createRnnClassifier({ ...config, seed: 7 }));
    const c = weightsOf(createRnnClassifier({ ...config, seed: 8 }));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('takes a config that survives JSON (a sweep is a list of configs)', () => {
    const config = {
      cell: 'lstm',
      units: [4, 3],
      inputShape: [null, 2],
      numClasses: 3,
      bidirectional: true,
      seed: 3,
    } as const;
    const again = JSON.parse(JSON.stringify(config));
    expect(weightsOf(createRnnClassifier(again))).toEqual(weightsOf(createRnnClassifier(config)));
  });

  it('passes dropout to the recurrent layers', () => {
    const model = createRnnClassifier({
      cell: 'lstm',
      units: 2,
      inputShape: [3, 2],
      numClasses: 2,
      dropout: 0.25,
    });
    expect(model.layers[0].getConfig().dropout).toBe(0.25);
  });

  it('offers a binary sigmoid output with one unit', () => {
    const model = createRnnClassifier({
      cell: 'gru',
      units: 2,
      inputShape: [3, 2],
      numClasses: 2,
      outputActivation: 'sigmoid',
    });
    expect(model.outputs[0].shape).toEqual([null, 1]);
  });

  it('returns an uncompiled model unless compile is set', () => {
    const base = { cell: 'simpleRNN', units: 2, inputShape: [3, 2], numClasses: 3 } as const;
    expect(createRnnClassifier(base).optimizer).toBeUndefined();
    const compiled = createRnnClassifier({ ...base, compile: { learningRate: 0.05 } });
    expect(compiled.loss).toBe('categoricalCrossentropy');
  });

  it('learns a small separable task (seeded)', async () => {
    // Class = sign of the sum of the first feature over the sequence.
    const n = 64;
    const xs = tf.randomNormal([n, 5, 2], 0, 1, 'float32', 3);
    const labels = tf.tidy(() =>
      tf.cast(tf.greater(tf.sum(xs.slice([0, 0, 0], [n, 5, 1]), [1, 2]), 0), 'int32'),
    );
    const ys = tf.oneHot(labels as tf.Tensor1D, 2);
    const model = compileModel(
      createRnnClassifier({
        cell: 'simpleRNN',
        units: 8,
        inputShape: [5, 2],
        numClasses: 2,
        seed: 1,
      }),
      { learningRate: 0.05 },
    );
    const history = await model.fit(xs, ys, {
      epochs: 30,
      batchSize: 32,
      shuffle: false,
      verbose: 0,
    });
    const loss = history.history.loss as number[];
    expect(loss[loss.length - 1]).toBeLessThan(loss[0] * 0.5);
    tf.dispose([xs, labels, ys]);
  });

  it('rejects a bad config with INVALID_CONFIG naming the field', () => {
    const base = { cell: 'lstm', units: 4, inputShape: [5, 3], numClasses: 3 } as const;
    const bad = [
      [{ ...base, cell: 'rnn' }, 'cell'],
      [{ ...base, units: 0 }, 'units'],
      [{ ...base, units: [4, -1] }, 'units[1]'],
      [{ ...base, layers: 1.5 }, 'layers'],
      [{ ...base, inputShape: [5] }, 'inputShape'],
      [{ ...base, numClasses: 1 }, 'numClasses'],
      [{ ...base, dropout: 1 }, 'dropout'],
      [{ ...base, units: [4, 4], layers: 3 }, 'layers'],
    ] as const;
    for (const [config, argument] of bad) {
      expect(() => createRnnClassifier(config as never)).toThrow(
        expect.objectContaining({ code: 'INVALID_CONFIG', argument }),
      );
    }
  });

  it('says what was expected and what came', () => {
    expect(() =>
      createRnnClassifier({ cell: 'lstm', units: 4, inputShape: [5, 3], numClasses: 1 }),
    ).toThrow('numClasses: expected an integer >= 2, got 1');
  });
});

describe('createRnnRegressor', () => {
  it('builds a linear output of outputUnits', () => {
    const model = createRnnRegressor({
      cell: 'lstm',
      units: 8,
      inputShape: [20, 1],
      outputUnits: 2,
    });
    expect(model.outputs[0].shape).toEqual([null, 2]);
    expect(model.layers[1].getConfig().activation).toBe('linear');
  });
});
