import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BasicRNNCell } from './basic-rnn-cell';
import { createRnnRegressor } from './create-rnn-classifier';
import { LSTMCell } from './lstm-cell';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// One unit, one input feature, so that every gate is a single number (Keras gate order i, f, c, o):
const W = [0.5, -0.3, 0.8, 0.2]; // input weights of i, f, c, o
const U = [0.1, 0.4, -0.6, 0.9]; // recurrent weights of i, f, c, o
const B = [0.0, 1.0, 0.1, -0.2]; // biases of i, f, c, o
const LSTM_X = [1.0, -0.5, 2.0];
// Worked by hand for step 1 (h0 = c0 = 0): z = W·1 + b = [0.5, 0.7, 0.9, 0.0];
// i = σ(0.5) = 0.622459, f = σ(0.7) = 0.668188, g = tanh(0.9) = 0.716298, o = σ(0) = 0.5;
// c1 = f·0 + i·g = 0.445866, h1 = o·tanh(c1) = 0.5 · 0.418495 = 0.209248.
// Steps 2 and 3 the same way (Python `math`, double precision):
const LSTM_H = [0.20924758814315608, 0.07830550166518922, 0.37095648866312264];
const LSTM_C = [0.4458662932253976, 0.16740954343515976, 0.7822610939910575];

// SimpleRNN: h_t = tanh(0.5·x_t − 1.0·h_{t−1} + 0.1):
// h1 = tanh(0.6) = 0.537050; h2 = tanh(1.0 − 0.537050 + 0.1) = tanh(0.562950) = 0.510163;
// h3 = tanh(−0.5 − 0.510163 + 0.1) = tanh(−0.910163) = −0.721211.
const RNN_X = [1.0, 2.0, -1.0];
const RNN_H = [0.5370495669980353, 0.5101632506598709, -0.7212105999898489];

/** Runs the model on x[0..t] for every t and returns the outputs (the Dense on top is the identity). */
function outputsOverPrefixes(model: tf.LayersModel, xs: number[]): number[] {
  return xs.map((_, t) => {
    const x = tf.tensor3d([xs.slice(0, t + 1).map((v) => [v])]);
    const y = model.predict(x) as tf.Tensor;
    const value = y.dataSync()[0];
    tf.dispose([x, y]);
    return value;
  });
}

describe('textbook equations', () => {
  it('an LSTM built by the factory with known weights gives the hand-computed h_t', () => {
    const model = createRnnRegressor({ cell: 'lstm', units: 1, inputShape: [null, 1] });
    model.layers[0].setWeights([tf.tensor2d([W]), tf.tensor2d([U]), tf.tensor1d(B)]);
    model.layers[1].setWeights([tf.tensor2d([[1]]), tf.tensor1d([0])]);
    const got = outputsOverPrefixes(model, LSTM_X);
    got.forEach((h, t) => {
      expect(h).toBeCloseTo(LSTM_H[t], 5);
    });
  });

  it('a SimpleRNN built by the factory with known weights gives the hand-computed h_t', () => {
    const model = createRnnRegressor({ cell: 'simpleRNN', units: 1, inputShape: [null, 1] });
    model.layers[0].setWeights([tf.tensor2d([[0.5]]), tf.tensor2d([[-1.0]]), tf.tensor1d([0.1])]);
    model.layers[1].setWeights([tf.tensor2d([[1]]), tf.tensor1d([0])]);
    const got = outputsOverPrefixes(model, RNN_X);
    got.forEach((h, t) => {
      expect(h).toBeCloseTo(RNN_H[t], 5);
    });
  });

  it('the from-scratch LSTMCell gives the same h_t and c_t', () => {
    const cell = new LSTMCell({ inputSize: 1, units: 1 });
    cell.setWeights([tf.tensor2d([W]), tf.tensor2d([U]), tf.tensor1d(B)]);
    let state = cell.zeroState(1);
    LSTM_X.forEach((x, t) => {
      ({ state } = cell.call(tf.tensor2d([[x]]), state));
      expect(state.h.dataSync()[0]).toBeCloseTo(LSTM_H[t], 5);
      expect(state.c.dataSync()[0]).toBeCloseTo(LSTM_C[t], 5);
    });
  });

  it('the from-scratch BasicRNNCell gives the same h_t', () => {
    const cell = new BasicRNNCell({ inputSize: 1, units: 1 });
    cell.setWeights([tf.tensor2d([[0.5]]), tf.tensor2d([[-1.0]]), tf.tensor1d([0.1])]);
    let state = cell.zeroState(1);
    RNN_X.forEach((x, t) => {
      ({ state } = cell.call(tf.tensor2d([[x]]), state));
      expect(state.h.dataSync()[0]).toBeCloseTo(RNN_H[t], 5);
    });
  });
});
