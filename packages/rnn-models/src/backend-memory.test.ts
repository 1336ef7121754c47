import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { seededValues } from './__fixtures__/kernel-test-utils';
import { initBackend } from './process-switches';

describe('memory on the wasm backend', () => {
  it('takes a training step of Embedding(20000, 64) → LSTM(64) at batch 64 under 1 GB resident', async () => {
    await initBackend({ backend: 'wasm', log: false });
    const model = tf.sequential({
      layers: [
        tf.layers.embedding({ inputDim: 20000, outputDim: 64, inputLength: 200 }),
        // glorotUniform: the default orthogonal initializer is slow on a 64 × 256 matrix in tfjs.
        tf.layers.lstm({ units: 64, recurrentInitializer: 'glorotUniform' }),
        tf.layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(1e-3), loss: 'binaryCrossentropy' });
    const x = tf.tensor2d(seededValues(64 * 200, 9, 0, 20000).map(Math.floor), [64, 200], 'int32');
    const y = tf.tensor2d(seededValues(64, 10, 0, 2).map(Math.floor), [64, 1]);
    let peak = process.memoryUsage().rss;
    const embeddings = model.layers[0].getWeights()[0].dataSync().slice();
    const loss = (await model.trainOnBatch(x, y)) as number;
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(Number.isFinite(loss)).toBe(true);
    // The step reached the embedding table through UnsortedSegmentSum (last step: the largest
    // gradient, since the LSTM returns its last state).
    const after = model.layers[0].getWeights()[0].dataSync();
    const row = x.dataSync()[199] * 64;
    expect(after[row]).not.toBe(embeddings[row]);
    expect(peak / 2 ** 20).toBeLessThan(1024);
    x.dispose();
    y.dispose();
    model.dispose();
  });
});
