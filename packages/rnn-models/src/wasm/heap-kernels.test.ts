import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  expectClose,
  seededValues,
  withBackend,
  withStockCpu,
} from '../__fixtures__/kernel-test-utils';
import { initBackend } from '../process-switches';
import { heapKernels, heapOffset } from './heap-kernels';

// MaxPooling1D after a Conv1D of the HAR benchmark: [batch, 124 steps, 64 filters], pool 2
const SHAPE: [number, number, number, number] = [4, 1, 124, 64];
const pooled = () => {
  const x = tf.tensor4d(seededValues(4 * 124 * 64, 7), SHAPE);
  const f = (v: tf.Tensor) =>
    tf
      .maxPool(v as tf.Tensor4D, [1, 2], [1, 2], 'valid')
      .square()
      .sum();
  return [tf.maxPool(x, [1, 2], [1, 2], 'valid'), tf.grad(f)(x)];
};

describe('heap kernels (max pooling in the wasm backend memory)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('run on the wasm backend and not on the cpu backend', async () => {
    await initBackend({ backend: 'cpu', log: false });
    expect(heapKernels(tf.backend())).toBeNull();
    await initBackend({ backend: 'wasm', log: false });
    const kernels = heapKernels(tf.backend());
    expect(kernels).not.toBeNull();
    // one instance per memory
    expect(heapKernels(tf.backend())).toBe(kernels);
    expect(heapKernels({ wasm: { asm: { memory: {} } } })).toBeNull();
  });

  it('are what MaxPool and MaxPoolGrad run on wasm, with the cpu backend results', async () => {
    const expected = await withStockCpu(pooled);
    await initBackend({ backend: 'wasm', log: false });
    const kernels = heapKernels(tf.backend());
    if (!kernels) throw new Error('heap kernels unavailable on wasm');
    const forward = vi.spyOn(kernels, 'maxPool1d');
    const backward = vi.spyOn(kernels, 'maxPool1dGrad');
    expectClose(await withBackend('wasm', pooled), expected, 0);
    expect(forward).toHaveBeenCalled();
    expect(backward).toHaveBeenCalledTimes(1);
  });

  it('are what Sum and Mean over middle axes run on wasm, with the cpu backend results', async () => {
    // GlobalAveragePooling1D of the pooled HAR features, and a conv bias gradient
    const op = () => {
      const x = tf.tensor3d(seededValues(4 * 62 * 64, 9), [4, 62, 64]);
      return [tf.mean(x, 1), tf.sum(x, [0, 1]), tf.sum(x, 1, true)];
    };
    const expected = await withStockCpu(op);
    await initBackend({ backend: 'wasm', log: false });
    const kernels = heapKernels(tf.backend());
    if (!kernels) throw new Error('heap kernels unavailable on wasm');
    const rows = vi.spyOn(kernels, 'sumRows');
    expectClose(await withBackend('wasm', op), expected, 1e-4);
    expect(rows).toHaveBeenCalledTimes(3);
  });

  it('read and write where the tensors are after the backend memory grows', async () => {
    const expected = await withStockCpu(pooled);
    await initBackend({ backend: 'wasm', log: false });
    const before = heapKernels(tf.backend());
    // 64 MiB more than the backend holds now: its memory grows, every old view detaches
    const big = tf.zeros([16 * 1024 * 1024]);
    expect(heapKernels(tf.backend())).toBe(before);
    expectClose(await withBackend('wasm', pooled), expected, 0);
    big.dispose();
  });

  it('heapOffset is the byte offset of a tensor in the backend memory', async () => {
    await initBackend({ backend: 'wasm', log: false });
    const t = tf.tensor1d([1.5, 2.5, 3.5]);
    const backend = tf.backend() as unknown as { wasm: { HEAPF32: Float32Array } };
    const offset = heapOffset(tf.backend(), { dataId: t.dataId, shape: t.shape, dtype: t.dtype });
    expect(Array.from(backend.wasm.HEAPF32.subarray(offset / 4, offset / 4 + 3))).toEqual([
      1.5, 2.5, 3.5,
    ]);
    expect(() => heapOffset({}, { dataId: {}, shape: [1], dtype: 'float32' })).toThrow(
      /not a tfjs-backend-wasm backend/,
    );
    t.dispose();
  });
});
