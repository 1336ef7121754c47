import * as tf from '@tensorflow/tfjs';
import { describe, it } from 'vitest';
import {
  expectClose,
  seededValues,
  withBackend,
  withStockCpu,
} from '../__fixtures__/kernel-test-utils';

describe('maxPoolGrad', () => {
  const cases: {
    name: string;
    pool: [number, number];
    strides: [number, number];
    pad: 'valid' | 'same';
  }[] = [
    { name: 'a MaxPooling1D of 2', pool: [1, 2], strides: [1, 2], pad: 'valid' },
    { name: 'overlapping windows, padding same', pool: [1, 3], strides: [1, 2], pad: 'same' },
    { name: 'a 2-d window', pool: [2, 2], strides: [1, 1], pad: 'valid' },
  ];
  for (const { name, pool, strides, pad } of cases) {
    it(`matches the cpu backend's own kernel for ${name}`, async () => {
      const values = seededValues(2 * 3 * 9 * 4, 51);
      const op = () =>
        tf.grad((x: tf.Tensor) =>
          tf
            .maxPool(x as tf.Tensor4D, pool, strides, pad)
            .square()
            .sum(),
        )(tf.tensor4d(values, [2, 3, 9, 4]));
      const expected = await withStockCpu(op);
      expectClose(await withBackend('wasm', op), expected, 1e-6);
      expectClose(await withBackend('cpu', op), expected, 1e-6);
    });
  }

  it('routes the gradient to the first of equal maxima, as tfjs does', async () => {
    const op = () =>
      tf.grad((x: tf.Tensor) => tf.maxPool(x as tf.Tensor4D, [1, 2], [1, 2], 'valid').sum())(
        tf.tensor4d([1, 1, 0, 2], [1, 1, 4, 1]),
      );
    const expected = await withStockCpu(op);
    expectClose(await withBackend('wasm', op), expected, 0);
  });
});
