import * as tf from '@tensorflow/tfjs';
import { sumRowsInto } from '../wasm/conv1d';
import { heapKernels, heapOffset } from '../wasm/heap-kernels';
import { allocate, type KernelArgs, release, view } from '../wasm/kernel-io';

const stock = new Map<string, tf.KernelConfig>();

/** The smallest input that the SIMD sum takes over (smaller ones stay with tfjs'). */
const MIN_SIZE = 4096;

/**
 * `Sum` and `Mean` for wasm: a float32 reduction over a run of consecutive axes that leaves the
 * last axis alone (the bias gradient of a convolution, `[batch, steps, channels]` → `[channels]`;
 * `GlobalAveragePooling1D`, `[batch, steps, channels]` → `[batch, channels]`) goes to a SIMD
 * kernel of assembly/conv1d.ts that adds whole rows, run in the backend's own memory
 * (wasm/heap-kernels.ts); the backend's own kernels transpose such an input first. Other reductions go to the backend's own kernels.
 */
function reduce(kernelName: 'Sum' | 'Mean', args: KernelArgs<tf.KernelBackend>): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs as { x: tf.TensorInfo };
  const { axis, keepDims } = attrs as unknown as { axis: number | number[]; keepDims: boolean };
  const rank = x.shape.length;
  if (x.dtype === 'float32' && rank >= 2 && tf.util.sizeFromShape(x.shape) >= MIN_SIZE) {
    const axes = [...new Set(tf.util.parseAxisParam(axis, x.shape))].sort((a, b) => a - b);
    const first = axes[0];
    const last = axes[axes.length - 1];
    if (axes.length > 0 && last < rank - 1 && last - first === axes.length - 1) {
      const size = (from: number, to: number) => tf.util.sizeFromShape(x.shape.slice(from, to));
      const shape = {
        outer: size(0, first),
        rows: size(first, last + 1),
        cols: size(last + 1, rank),
      };
      const outShape = x.shape.flatMap((d, i) =>
        i < first || i > last ? [d] : keepDims ? [1] : [],
      );
      const out = allocate(backend, outShape, 'float32');
      const heap = shape.rows > 0 ? heapKernels(backend) : null;
      if (heap) {
        // in the backend's own memory, where x and out are: nothing copied
        const { outer, rows, cols } = shape;
        heap.sumRows(heapOffset(backend, x), heapOffset(backend, out), outer, rows, cols);
      }
      const result = view(backend, out) as Float32Array;
      const xs = heap ? null : (view(backend, x) as Float32Array);
      if (heap || (xs && shape.rows > 0 && sumRowsInto(xs, shape, result))) {
        if (kernelName === 'Mean') {
          const scale = 1 / shape.rows;
          for (let i = 0; i < result.length; i++) result[i] *= scale;
        }
        return out;
      }
      release(backend, out);
    }
  }
  return stock.get(kernelName)!.kernelFunc(args as never) as tf.TensorInfo;
}

/** {@link reduce} as `Sum`. */
export function sum(args: KernelArgs<tf.KernelBackend>): tf.TensorInfo {
  return reduce('Sum', args);
}

/** {@link reduce} as `Mean`. */
export function mean(args: KernelArgs<tf.KernelBackend>): tf.TensorInfo {
  return reduce('Mean', args);
}

/**
 * Kernel configs of {@link sum} and {@link mean} for wasm, each wrapping the wasm backend's own
 * kernel (its setup included); those the wasm backend lacks are left out.
 */
export function sumConfigs(): tf.KernelConfig[] {
  const configs: tf.KernelConfig[] = [];
  for (const [name, fn] of [
    ['Sum', sum],
    ['Mean', mean],
  ] as const) {
    const current = tf.getKernel(name, 'wasm');
    if (current && current.kernelFunc !== (fn as unknown)) stock.set(name, current);
    const inner = stock.get(name);
    if (inner) configs.push({ ...inner, kernelFunc: fn as unknown as tf.KernelFunc });
  }
  return configs;
}
