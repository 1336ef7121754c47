import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  expectClose,
  seededValues,
  withBackend,
  withStockCpu,
} from '../__fixtures__/kernel-test-utils';

describe('batchMatMul (wasm)', () => {
  const cases: [number[], number[], boolean, boolean][] = [
    [[5, 7], [7, 3], false, false],
    [[7, 5], [7, 3], true, false],
    [[5, 7], [3, 7], false, true],
    [[7, 5], [3, 7], true, true],
    [[2, 7, 5], [2, 7, 3], true, false],
  ];
  for (const [aShape, bShape, ta, tb] of cases) {
    it(`matches the cpu backend for [${aShape}]·[${bShape}], transposeA ${ta}, transposeB ${tb}`, async () => {
      const a = seededValues(tf.util.sizeFromShape(aShape), 41);
      const b = seededValues(tf.util.sizeFromShape(bShape), 42);
      const op = () => tf.matMul(tf.tensor(a, aShape), tf.tensor(b, bShape), ta, tb);
      expectClose(await withBackend('wasm', op), await withStockCpu(op), 1e-5);
    });
  }

  it('treats magnitudes under 2^-96 as zero and keeps the rest', async () => {
    const op = () =>
      tf.matMul(tf.tensor2d([1e-35, 1e-20, 1e-31, 1e-31], [2, 2]), tf.tensor2d([1, 1], [2, 1]));
    const [out] = await withBackend('wasm', op);
    expect(out[0]).toBe(Math.fround(1e-20));
    expect(out[1]).toBe(0);
  });
});
