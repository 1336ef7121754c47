import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  expectClose,
  seededValues,
  withBackend,
  withStockCpu,
} from '../__fixtures__/kernel-test-utils';

describe('unsortedSegmentSum', () => {
  const cases = [
    { name: 'rows of a matrix', xShape: [7, 3], ids: [4, 0, 4, 2, 1, 0, 4], numSegments: 5 },
    { name: 'rows of a 3-d tensor', xShape: [6, 2, 3], ids: [1, 1, 0, 2, 2, 1], numSegments: 4 },
    { name: 'ids out of range, dropped', xShape: [4, 2], ids: [0, -1, 3, 7], numSegments: 4 },
  ];
  for (const { name, xShape, ids, numSegments } of cases) {
    it(`matches the cpu backend's own kernel on ${name}`, async () => {
      const size = xShape.reduce((a, b) => a * b, 1);
      const values = seededValues(size, size);
      const op = () =>
        tf.unsortedSegmentSum(
          tf.tensor(values, xShape),
          tf.tensor(ids, undefined, 'int32'),
          numSegments,
        );
      const expected = await withStockCpu(op);
      expectClose(await withBackend('wasm', op), expected, 1e-6);
      expectClose(await withBackend('cpu', op), expected, 1e-6);
    });
  }

  it('sums int32 values into int32', async () => {
    const op = () =>
      tf.unsortedSegmentSum(
        tf.tensor([1, 2, 3, 4], [4], 'int32'),
        tf.tensor([1, 1, 0, 1], [4], 'int32'),
        2,
      );
    for (const backend of ['wasm', 'cpu'] as const) {
      await tf.setBackend(backend);
      const dtype = op().dtype;
      expect(dtype).toBe('int32');
      expect(await withBackend(backend, op)).toEqual([[3, 7]]);
    }
  });

  it('gives the gradient of a gather over a 20000-row embedding in one pass', async () => {
    const ids = seededValues(64 * 200, 7, 0, 20000).map(Math.floor);
    const op = () =>
      tf.grad((table: tf.Tensor) => tf.gather(table, tf.tensor(ids, [64, 200], 'int32')).sum())(
        tf.zeros([20000, 8]),
      );
    const [grad] = await withBackend('wasm', op);
    const counts = new Map<number, number>();
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect(grad[ids[0] * 8]).toBe(counts.get(ids[0]));
    expect(grad.reduce((a, b) => a + b, 0)).toBe(64 * 200 * 8);
  });
});
