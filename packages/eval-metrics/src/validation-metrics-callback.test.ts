import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { validationMetricsCallback } from './validation-metrics-callback';

describe('validationMetricsCallback', () => {
  it('adds the chosen metrics to the History of model.fit, without leaking tensors', async () => {
    const model = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [2], units: 3, activation: 'softmax' })],
    });
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const x = tf.randomNormal([30, 2], 0, 1, 'float32', 1);
    const y = tf.tensor1d(Array.from({ length: 30 }, (_, i) => i % 3));
    const callback = validationMetricsCallback({
      model,
      validationData: [x, y],
      metrics: ['macro_f1', 'balanced_accuracy', { always_one: () => 1 }],
    });
    const history = await model.fit(x, y, {
      epochs: 2,
      verbose: 0,
      callbacks: [callback],
    });
    expect(history.history.val_macro_f1).toHaveLength(2);
    expect(history.history.val_balanced_accuracy).toHaveLength(2);
    expect(history.history.val_always_one).toEqual([1, 1]);
    const before = tf.memory().numTensors;
    await callback.onEpochEnd(2, {});
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('computes metrics from one-hot targets and writes them into the logs', async () => {
    const scores = tf.tensor2d([
      [0.9, 0.1],
      [0.2, 0.8],
      [0.6, 0.4],
    ]);
    const model = { predict: () => scores.clone() };
    const cb = validationMetricsCallback({
      model,
      validationData: [
        null,
        [
          [1, 0],
          [0, 1],
          [0, 1],
        ],
      ],
      metrics: ['accuracy', 'macro_recall'],
      prefix: 'holdout_',
    });
    const logs: Record<string, number> = { loss: 1 };
    await cb.onEpochEnd(0, logs);
    expect(logs.holdout_accuracy).toBeCloseTo(2 / 3, 12);
    expect(logs.holdout_macro_recall).toBeCloseTo(0.75, 12);
    scores.dispose();
  });

  it('hands sequence outputs to custom metrics with their label shape', async () => {
    const scores = tf.tensor3d([
      [
        [0.9, 0.1],
        [0.2, 0.8],
      ],
    ]);
    const cb = validationMetricsCallback({
      model: { predict: () => scores.clone() },
      validationData: [null, [[0, 0]]],
      metrics: [
        {
          shape: (o) => o.shape.join('x').length,
          last_correct: (o) => Number(o.yPred[1] === o.yTrue[1]),
        },
      ],
    });
    const logs: Record<string, number> = {};
    await cb.onEpochEnd(0, logs);
    expect(logs).toEqual({ val_shape: 3, val_last_correct: 0 });
    scores.dispose();
  });

  it('throws INVALID_ARGUMENT for an unknown built-in metric', () => {
    expect(() =>
      validationMetricsCallback({
        model: { predict: () => tf.zeros([1, 2]) },
        validationData: [null, [0]],
        metrics: ['auc' as 'accuracy'],
      }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'metrics' }));
  });
});
