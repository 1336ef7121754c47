import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededValues } from './__fixtures__/kernel-test-utils';
import { initBackend } from './process-switches';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('training on the wasm backend', () => {
  it('lowers the loss of an Embedding → Conv1D → LSTM classifier', async () => {
    // Label: whether token 3 occurs in the sequence, learnable from the embedding alone.
    const n = 64;
    const steps = 16;
    const tokens = seededValues(n * steps, 5, 0, 20).map(Math.floor);
    const labels = Array.from({ length: n }, (_, i) =>
      tokens.slice(i * steps, (i + 1) * steps).includes(3) ? 1 : 0,
    );
    const model = tf.sequential({
      layers: [
        tf.layers.embedding({
          inputDim: 20,
          outputDim: 8,
          inputLength: steps,
          embeddingsInitializer: tf.initializers.randomUniform({
            minval: -0.05,
            maxval: 0.05,
            seed: 1,
          }),
        }),
        tf.layers.conv1d({
          filters: 8,
          kernelSize: 3,
          activation: 'relu',
          kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
        }),
        tf.layers.lstm({
          units: 8,
          kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
          recurrentInitializer: tf.initializers.orthogonal({ seed: 4 }),
        }),
        tf.layers.dense({
          units: 1,
          activation: 'sigmoid',
          kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }),
        }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'binaryCrossentropy' });
    const x = tf.tensor2d(tokens, [n, steps], 'int32');
    const y = tf.tensor2d(labels, [n, 1]);
    const history = await model.fit(x, y, {
      epochs: 15,
      batchSize: 16,
      shuffle: false,
      verbose: 0,
    });
    const losses = history.history.loss as number[];
    expect(tf.getBackend()).toBe('wasm');
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses.at(-1)!).toBeLessThan(losses[0] * 0.8);
    x.dispose();
    y.dispose();
    model.dispose();
  });
});
