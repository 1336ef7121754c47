import * as tf from '@tensorflow/tfjs';
import { sumRowsInto } from './conv1d-wasm';
import { allocate, type KernelArgs, release, view } from './kernel-io';

let stock: tf.KernelConfig | undefined;

/** The smallest reduction that the SIMD column sum takes over (smaller ones stay with tfjs'). */
const MIN_ROWS = 64;

/**
 * `Sum` for wasm: a float32 sum over every axis but the last (the bias gradient of a convolution
 * or dense layer, `[batch, steps, channels]` → `[channels]`) goes to a SIMD column sum of
 * assembly/conv1d.ts; the backend's own kernel transposes such an input first. Other sums go to
 * the backend's own kernel.
 */
export function sum(args: KernelArgs<tf.KernelBackend>): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs as { x: tf.TensorInfo };
  const { axis, keepDims } = attrs as unknown as { axis: number | number[]; keepDims: boolean };
  const rank = x.shape.length;
  if (x.dtype === 'float32' && rank >= 2) {
    const axes = tf.util.parseAxisParam(axis, x.shape);
    const sorted = [...new Set(axes)].sort((a, b) => a - b);
    const leading = sorted.length === rank - 1 && sorted.every((a, i) => a === i);
    const cols = x.shape[rank - 1];
    const rows = tf.util.sizeFromShape(x.shape) / Math.max(cols, 1);
    if (leading && cols > 0 && rows >= MIN_ROWS) {
      const shape = keepDims ? [...x.shape.slice(0, -1).map(() => 1), cols] : [cols];
      const out = allocate(backend, shape, 'float32');
      const xs = view(backend, x) as Float32Array;
      if (sumRowsInto(xs, rows, cols, view(backend, out) as Float32Array)) return out;
      release(backend, out);
    }
  }
  return stock!.kernelFunc(args as never) as tf.TensorInfo;
}

/**
 * Kernel config of {@link sum} for wasm, wrapping the wasm backend's own kernel (its setup
 * included); `undefined` when the wasm backend has no `Sum` registered.
 */
export function sumConfig(): tf.KernelConfig | undefined {
  const current = tf.getKernel('Sum', 'wasm');
  if (current && current.kernelFunc !== (sum as unknown)) stock = current;
  if (!stock) return undefined;
  return { ...stock, kernelFunc: sum as unknown as tf.KernelFunc };
}
