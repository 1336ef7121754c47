import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  expectClose,
  seededValues,
  withBackend,
  withStockCpu,
} from '../__fixtures__/kernel-test-utils';

describe('gatherV2', () => {
  const values = seededValues(4 * 5 * 3, 61);
  const cases: { name: string; indices: number[][] | number[]; axis: number }[] = [
    {
      name: 'rows (axis 0) with a 2-d index, as Embedding does',
      indices: [
        [3, 0],
        [3, 1],
      ],
      axis: 0,
    },
    { name: 'axis 1', indices: [4, 0, 2, 2], axis: 1 },
    { name: 'the last axis, counted from the end', indices: [2, 1], axis: -1 },
  ];
  for (const { name, indices, axis } of cases) {
    it(`matches the cpu backend's own kernel on ${name}`, async () => {
      const op = () =>
        tf.gather(tf.tensor3d(values, [4, 5, 3]), tf.tensor(indices, undefined, 'int32'), axis);
      const expected = await withStockCpu(op);
      expectClose(await withBackend('wasm', op), expected, 0);
      expectClose(await withBackend('cpu', op), expected, 0);
    });
  }

  it("matches the cpu backend's own kernel with batchDims 1 (where wasm's own is wrong)", async () => {
    const op = () =>
      tf.gather(
        tf.tensor3d(values, [4, 5, 3]),
        tf.tensor2d(
          [
            [0, 4],
            [1, 1],
            [2, 0],
            [3, 3],
          ],
          [4, 2],
          'int32',
        ),
        1,
        1,
      );
    const expected = await withStockCpu(op);
    expectClose(await withBackend('wasm', op), expected, 0);
    expectClose(await withBackend('cpu', op), expected, 0);
  });

  it('gathers int32 values', async () => {
    const op = () => tf.gather(tf.tensor1d([5, 6, 7], 'int32'), tf.tensor1d([2, 0], 'int32'));
    expect(await withBackend('wasm', op)).toEqual([[7, 5]]);
  });

  it('rejects an index out of range', async () => {
    await tf.setBackend('wasm');
    expect(() => tf.gather(tf.tensor1d([5, 6, 7]), tf.tensor1d([3], 'int32'))).toThrow(
      /not in \[0, 2\]/,
    );
  });
});
