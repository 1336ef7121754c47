import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { clipByGlobalNorm } from './clip-by-global-norm';
import { compileModel } from './compile-model';
import { withGradientClipping } from './with-gradient-clipping';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('clipByGlobalNorm', () => {
  it('scales every tensor by clipNorm / max(globalNorm, clipNorm) (hand-checked)', () => {
    // global norm of [3, 0] and [4] = sqrt(9 + 16) = 5; scale 2 / 5 = 0.4.
    const { clipped, globalNorm } = clipByGlobalNorm([tf.tensor([3, 0]), tf.tensor([4])], 2);
    expect(globalNorm).toBeCloseTo(5, 6);
    expect(Array.from(clipped[0].dataSync())).toEqual([expect.closeTo(1.2, 6), 0]);
    expect(clipped[1].dataSync()[0]).toBeCloseTo(1.6, 6);
  });

  it('leaves tensors under the norm unchanged', () => {
    const { clipped } = clipByGlobalNorm([tf.tensor([0.3, 0.4])], 1);
    expect(Array.from(clipped[0].dataSync())).toEqual([
      expect.closeTo(0.3, 6),
      expect.closeTo(0.4, 6),
    ]);
  });

  it('rejects clipNorm <= 0', () => {
    expect(() => clipByGlobalNorm([], 0)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'clipNorm' }),
    );
  });
});

describe('withGradientClipping', () => {
  it('makes model.fit clip by global norm (same hand-checked step as train)', async () => {
    const model = tf.sequential();
    model.add(tf.layers.dense({ units: 1, inputShape: [2], kernelInitializer: 'zeros' }));
    model.compile({
      optimizer: withGradientClipping(tf.train.sgd(1), { clipNorm: 1 }),
      loss: 'meanSquaredError',
    });
    await model.fit(tf.tensor2d([[3, 4]]), tf.tensor2d([[10]]), { epochs: 1, verbose: 0 });
    // gradients [−60, −80] and −20, global norm sqrt(10400): the step is [60, 80, 20] / 101.9804.
    const w = model.getWeights().flatMap((t) => Array.from(t.dataSync()));
    expect(w[0]).toBeCloseTo(0.588348, 5);
    expect(w[1]).toBeCloseTo(0.784465, 5);
    expect(w[2]).toBeCloseTo(0.196116, 5);
  });

  it('is what compileModel uses for clipNorm and clipValue', async () => {
    const model = tf.sequential();
    model.add(tf.layers.dense({ units: 1, inputShape: [2], kernelInitializer: 'zeros' }));
    compileModel(model, { optimizer: 'sgd', learningRate: 1, clipValue: 5 });
    await model.fit(tf.tensor2d([[3, 4]]), tf.tensor2d([[10]]), { epochs: 1, verbose: 0 });
    expect(model.getWeights().flatMap((t) => Array.from(t.dataSync()))).toEqual([5, 5, 5]);
  });

  it('rejects a clipValue <= 0', () => {
    expect(() => withGradientClipping(tf.train.sgd(1), { clipValue: -1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'clipValue' }),
    );
  });
});
