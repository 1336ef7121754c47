import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { setLearningRate } from './learning-rate';

describe('setLearningRate', () => {
  it('changes the step the compiled optimizer takes', async () => {
    const step = async (rate?: number, optimizer: tf.Optimizer = tf.train.sgd(0.1)) => {
      const model = tf.sequential({
        layers: [
          tf.layers.dense({ units: 1, inputShape: [1], useBias: false, kernelInitializer: 'ones' }),
        ],
      });
      model.compile({ optimizer, loss: 'meanSquaredError' });
      if (rate !== undefined) setLearningRate(model, rate);
      await model.fit(tf.tensor2d([[1]]), tf.tensor2d([[0]]), { epochs: 1, verbose: 0 });
      const w = (model.getWeights()[0].dataSync() as Float32Array)[0];
      model.dispose();
      return w;
    };
    // Loss w², gradient 2w = 2: one SGD step moves w from 1 by 2 × rate.
    expect(await step()).toBeCloseTo(0.8, 6);
    expect(await step(0.01)).toBeCloseTo(0.98, 6);
    // Adam's first step is the learning rate itself (m̂ / √v̂ = 1).
    expect(await step(0.05, tf.train.adam(0.1))).toBeCloseTo(0.95, 5);
  });

  it('refuses a model that was not compiled', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
    expect(() => setLearningRate(model, 0.1)).toThrow(/no compiled optimizer/);
    model.dispose();
  });
});
