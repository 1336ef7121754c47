import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerMeanGradient } from './mean-gradient';

beforeAll(() => {
  registerMeanGradient();
});

describe.each(['cpu', 'wasm'])('the Mean gradient on %s', (backend) => {
  const cases: { shape: number[]; axis?: number | number[]; keepDims?: boolean }[] = [
    { shape: [4, 62, 8], axis: 1 },
    { shape: [4, 62, 8], axis: 1, keepDims: true },
    { shape: [3, 5, 7], axis: [0, 2] },
    { shape: [3, 5, 7], axis: -1 },
    { shape: [6, 5] },
    { shape: [6, 5], axis: [] },
  ];
  for (const { shape, axis, keepDims } of cases) {
    it(`x ${shape.join('x')}, axis ${JSON.stringify(axis)}${keepDims ? ', keepDims' : ''}: dy / n at every position reduced`, async () => {
      await tf.setBackend(backend);
      const x = tf.randomNormal(shape, 0, 1, 'float32', 1);
      const outShape = tf.mean(x, axis, keepDims).shape;
      const weights = tf.randomNormal(outShape, 0, 1, 'float32', 2);
      const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.mean(t, axis, keepDims), weights)))(
        x,
      );
      // expected: each element gets the weight of its output position over the count reduced
      const axes =
        axis === undefined ? shape.map((_, i) => i) : tf.util.parseAxisParam(axis, shape);
      const n = axes.reduce((p, a) => p * (shape[a] as number), 1);
      const expandedShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
      const expected = tf.mul(tf.div(tf.reshape(weights, expandedShape), n), tf.ones(shape));
      expect(grad.shape).toEqual(shape);
      const got = grad.dataSync();
      const want = expected.dataSync();
      for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i] as number, 6);
      tf.dispose([x, weights, grad, expected]);
    });
  }

  it('broadcasts a contiguous block of axes in one kernel call (GlobalAveragePooling1D)', async () => {
    await tf.setBackend(backend);
    const x = tf.randomNormal([64, 62, 64], 0, 1, 'float32', 3);
    const profile = await tf.profile(() => tf.grad((t: tf.Tensor) => tf.sum(tf.mean(t, 1)))(x));
    const names = profile.kernels.map((k) => k.name);
    expect(names).toContain('SeqlearnMeanGrad');
    expect(names).not.toContain('OnesLike');
    x.dispose();
  });
});
