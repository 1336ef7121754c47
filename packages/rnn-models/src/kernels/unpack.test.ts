import * as tf from '@tensorflow/tfjs';
import { describe, it } from 'vitest';
import {
  expectClose,
  seededValues,
  withBackend,
  withStockCpu,
} from '../__fixtures__/kernel-test-utils';

describe('unpack', () => {
  for (const axis of [0, 1, 2, -1]) {
    it(`matches the cpu backend's own kernel along axis ${axis}`, async () => {
      const values = seededValues(3 * 4 * 5, 31);
      const op = () => tf.unstack(tf.tensor3d(values, [3, 4, 5]), axis);
      const expected = await withStockCpu(op);
      expectClose(await withBackend('wasm', op), expected, 0);
      expectClose(await withBackend('cpu', op), expected, 0);
    });
  }

  it('unstacks int32 tensors exactly', async () => {
    const op = () => tf.unstack(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], 'int32'), 1);
    expectClose(
      await withBackend('wasm', op),
      [
        [1, 4],
        [2, 5],
        [3, 6],
      ],
      0,
    );
  });
});
