import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  expectClose,
  seededValues,
  withBackend,
  withStockCpu,
} from '../__fixtures__/kernel-test-utils';
import { FusedConv1D } from '../fused/fused-conv1d';
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

describe('FusedConv1D in the wasm backend memory', () => {
  afterEach(() => vi.restoreAllMocks());

  /** Output and gradients (x, kernel, bias) of `layer` and of a stock Conv1D with its weights. */
  function both(args: { filters: number; padding: 'valid' | 'same' }) {
    const options = { kernelSize: 5, activation: 'relu' as const, ...args };
    const fused = new FusedConv1D(options);
    const stock = tf.layers.conv1d(options);
    const x = tf.variable(tf.tensor3d(seededValues(4 * 32 * 9, 21), [4, 32, 9]));
    fused.apply(x);
    stock.apply(x);
    fused.setWeights(
      fused.getWeights().map((w, i) => tf.tensor(seededValues(w.size, 30 + i), w.shape)),
    );
    stock.setWeights(fused.getWeights());
    const run = (layer: tf.layers.Layer) => {
      const vars = [x, ...layer.trainableWeights.map((w) => w.read() as tf.Variable)];
      const r = tf.tensor(seededValues(4 * 32 * args.filters, 5), [4, 32, args.filters]);
      const loss = () => {
        const y = layer.apply(x) as tf.Tensor;
        return tf.sum(tf.mul(y, tf.slice(r, [0, 0, 0], y.shape)));
      };
      const y = layer.apply(x) as tf.Tensor;
      const { grads } = tf.variableGrads(loss as () => tf.Scalar, vars);
      const arrays = [y, ...vars.map((v) => grads[v.name] as tf.Tensor)].map((t) =>
        Array.from(t.dataSync()),
      );
      tf.dispose([y, r, ...Object.values(grads)]);
      return arrays;
    };
    const result = { fused: run(fused), stock: run(stock) };
    x.dispose();
    return result;
  }

  it('runs the forward and weight gradients there, with the stock layer results', async () => {
    await initBackend({ backend: 'wasm', log: false });
    const kernels = heapKernels(tf.backend());
    if (!kernels) throw new Error('heap kernels unavailable on wasm');
    const spies = [
      vi.spyOn(kernels, 'conv1dForwardBiasAct'),
      vi.spyOn(kernels, 'conv1dActGradTo'),
      vi.spyOn(kernels, 'conv1dFilterGrad'),
    ];
    const { fused, stock } = both({ filters: 16, padding: 'valid' });
    for (const [i, values] of fused.entries()) {
      expectClose([values], [stock[i] as number[]], 1e-4);
    }
    for (const spy of spies) expect(spy).toHaveBeenCalled();
  });

  for (const args of [
    { filters: 16, padding: 'same' as const },
    { filters: 12, padding: 'valid' as const },
  ]) {
    it(`copies into the kernel module instead for ${args.filters} filters, padding ${args.padding}`, async () => {
      await initBackend({ backend: 'wasm', log: false });
      const kernels = heapKernels(tf.backend());
      if (!kernels) throw new Error('heap kernels unavailable on wasm');
      const forward = vi.spyOn(kernels, 'conv1dForwardBiasAct');
      const filter = vi.spyOn(kernels, 'conv1dFilterGrad');
      const { fused, stock } = both(args);
      for (const [i, values] of fused.entries()) {
        expectClose([values], [stock[i] as number[]], 1e-4);
      }
      expect(forward).not.toHaveBeenCalled();
      expect(filter).not.toHaveBeenCalled();
    });
  }
});
