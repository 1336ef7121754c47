import * as tf from '@tensorflow/tfjs';
import { maxPool1dInto } from '../wasm/conv1d';
import { heapKernels, heapOffset } from '../wasm/heap-kernels';
import { allocate, type KernelArgs, release, view } from '../wasm/kernel-io';
import { poolLine } from './pool-line';

interface MaxPoolAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

let stock: tf.KernelConfig | undefined;

/**
 * `MaxPool` for wasm: windows along one axis (`MaxPooling1D`) go to a SIMD kernel of
 * assembly/conv1d.ts, anything else to the backend's own kernel (XNNPACK).
 */
export function maxPool(args: KernelArgs<tf.KernelBackend>): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs as { x: tf.TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolAttrs;
  if (x.dtype === 'float32') {
    const info = tf.backend_util.computePool2DInfo(
      x.shape as [number, number, number, number],
      filterSize,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const line = poolLine(info);
    if (line) {
      const out = allocate(backend, info.outShape, 'float32');
      const shape = { batch: info.batchSize, ...line.shape, channels: info.inChannels };
      const heap = heapKernels(backend);
      if (heap) {
        // in the backend's own memory, where x and out are: nothing copied
        const { pool, stride, pad } = line.window;
        const { length, outLength } = line.shape;
        const [xp, yp] = [heapOffset(backend, x), heapOffset(backend, out)];
        heap.maxPool1d(xp, yp, shape.batch, length, outLength, shape.channels, pool, stride, pad);
        return out;
      }
      const xs = view(backend, x) as Float32Array;
      if (maxPool1dInto(xs, shape, line.window, view(backend, out) as Float32Array)) return out;
      release(backend, out);
    }
  }
  return stock!.kernelFunc(args as never) as tf.TensorInfo;
}

/**
 * Kernel config of {@link maxPool} for wasm, wrapping the wasm backend's own kernel (its setup
 * included); `undefined` when the wasm backend has no `MaxPool` registered.
 */
export function maxPoolConfig(): tf.KernelConfig | undefined {
  const current = tf.getKernel('MaxPool', 'wasm');
  if (current && current.kernelFunc !== (maxPool as unknown)) stock = current;
  if (!stock) return undefined;
  return { ...stock, kernelFunc: maxPool as unknown as tf.KernelFunc };
}
