import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BasicRNNCell } from './basic-rnn-cell';
import { createRnnRegressor } from './create-rnn-classifier';
import { LSTMCell } from './lstm-cell';
import { unroll } from './unroll';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Sine windows: x = sin over `steps` points, y = the next point. */
function sineData(n: number, steps: number) {
  const xs: number[][][] = [];
  const ys: number[][] = [];
  for (let k = 0; k < n; k++) {
    const phase = k * 0.37;
    xs.push(Array.from({ length: steps }, (_, t) => [Math.sin(phase + t * 0.3)]));
    ys.push([Math.sin(phase + steps * 0.3)]);
  }
  return { x: tf.tensor3d(xs), y: tf.tensor2d(ys) };
}

describe('LSTMCell', () => {
  it('reproduces a tfjs LSTM layer built by the factory when given its weights', () => {
    const model = createRnnRegressor({
      cell: 'lstm',
      units: 3,
      inputShape: [4, 2],
      returnSequences: true,
      seed: 2,
    });
    const cell = new LSTMCell({ inputSize: 2, units: 3 });
    cell.setWeights(model.layers[0].getWeights());
    const x = tf.randomNormal([2, 4, 2], 0, 1, 'float32', 5) as tf.Tensor3D;
    const layerOut = tf
      .model({ inputs: model.inputs, outputs: model.layers[0].output as tf.SymbolicTensor })
      .predict(x) as tf.Tensor;
    const { outputs } = unroll(cell, x);
    const a = layerOut.dataSync();
    const b = outputs.dataSync();
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i], 5);
  });

  it('starts with the forget-gate bias at 1 and the same weights for the same seed', () => {
    const a = new LSTMCell({ inputSize: 2, units: 2, seed: 9 });
    const b = new LSTMCell({ inputSize: 2, units: 2, seed: 9 });
    expect(Array.from(a.bias.dataSync())).toEqual([0, 0, 1, 1, 0, 0, 0, 0]);
    expect(Array.from(a.kernel.dataSync())).toEqual(Array.from(b.kernel.dataSync()));
    expect(Array.from(a.recurrentKernel.dataSync())).toEqual(
      Array.from(b.recurrentKernel.dataSync()),
    );
  });

  it('trains with a plain tfjs optimizer and continues a sine wave in closed loop', () => {
    const cell = new LSTMCell({ inputSize: 1, units: 8, outputSize: 1, seed: 3 });
    const { x, y } = sineData(32, 10);
    const optimizer = tf.train.adam(0.03);
    const lossOf = () =>
      tf.tidy(() => {
        const { outputs } = unroll(cell, x as tf.Tensor3D);
        const last = outputs.slice([0, 9, 0], [32, 1, 1]).reshape([32, 1]);
        return tf.losses.meanSquaredError(y, last) as tf.Scalar;
      });
    const first = lossOf().dataSync()[0];
    for (let i = 0; i < 60; i++) optimizer.minimize(lossOf, false, cell.trainableWeights);
    const last = lossOf().dataSync()[0];
    expect(last).toBeLessThan(first * 0.2);
    const warmUp = Array.from({ length: 10 }, (_, t) => [Math.sin(t * 0.3)]);
    const continuation = cell.generate(warmUp, 5);
    expect(continuation).toHaveLength(5);
    // The first generated point predicts sin(3.0) = 0.141.
    expect(Math.abs(continuation[0][0] - Math.sin(3.0))).toBeLessThan(0.3);
    tf.dispose([x, y]);
    cell.dispose();
  });

  it('refuses closed-loop generation when outputs cannot be fed back', () => {
    const cell = new LSTMCell({ inputSize: 2, units: 3 });
    expect(() => cell.generate([[0, 0]], 3)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'outputSize' }),
    );
  });

  it('leaks no tensors in call and unroll under tidy', () => {
    const cell = new BasicRNNCell({ inputSize: 2, units: 3, outputSize: 2, seed: 1 });
    const x = tf.ones([1, 4, 2]) as tf.Tensor3D;
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      unroll(cell, x);
    });
    cell.generate([[0, 1]], 3);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('BasicRNNCell', () => {
  it('rejects a bad size with INVALID_ARGUMENT', () => {
    expect(() => new BasicRNNCell({ inputSize: 0, units: 2 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'inputSize' }),
    );
  });
});

describe('unroll', () => {
  it('returns every step and the final state', () => {
    const cell = new BasicRNNCell({ inputSize: 2, units: 3, seed: 0 });
    const { outputs, state } = unroll(cell, tf.ones([2, 5, 2]) as tf.Tensor3D);
    expect(outputs.shape).toEqual([2, 5, 3]);
    expect(Array.from(outputs.slice([0, 4, 0], [2, 1, 3]).dataSync())).toEqual(
      Array.from(state.h.dataSync()),
    );
  });

  it('rejects inputs of the wrong shape with SHAPE_MISMATCH', () => {
    const cell = new BasicRNNCell({ inputSize: 2, units: 3 });
    expect(() => unroll(cell, tf.ones([2, 5, 3]) as tf.Tensor3D)).toThrow(
      expect.objectContaining({ code: 'SHAPE_MISMATCH', argument: 'inputs' }),
    );
  });
});
