import * as tf from '@tensorflow/tfjs';
import { conv1dForwardInto, conv1dGeometry } from '../wasm/conv1d';
import { allocate, type KernelArgs, release, view } from '../wasm/kernel-io';

interface Conv2DAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dilations: [number, number] | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

let stock: tf.KernelConfig | undefined;

/**
 * `Conv2D` for wasm: a conv1d (what `tf.conv1d` and `Conv1D` run: filter height 1, stride and
 * dilation 1 along the width, channels last) goes to the SIMD kernel of assembly/conv1d.ts, which
 * reads the patches straight from the padded input; anything else to the backend's own kernel
 * (XNNPACK).
 */
export function conv2D(args: KernelArgs<tf.KernelBackend>): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, filter } = inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
  const { strides, pad, dataFormat, dilations, dimRoundingMode } = attrs as unknown as Conv2DAttrs;
  if (x.dtype === 'float32' && filter.dtype === 'float32') {
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      strides,
      dilations,
      pad,
      dimRoundingMode,
      false,
      tf.backend_util.convertConv2DDataFormat(dataFormat),
    );
    const geometry = conv1dGeometry(info);
    if (geometry) {
      const out = allocate(backend, info.outShape, 'float32');
      const xs = view(backend, x) as Float32Array;
      const ws = view(backend, filter) as Float32Array;
      if (conv1dForwardInto(xs, ws, geometry, view(backend, out) as Float32Array)) return out;
      release(backend, out);
    }
  }
  return stock!.kernelFunc(args as never) as tf.TensorInfo;
}

/**
 * Kernel config of {@link conv2D} for wasm, wrapping the wasm backend's own kernel (its setup
 * included); `undefined` when the wasm backend has no `Conv2D` registered.
 */
export function conv2DConfig(): tf.KernelConfig | undefined {
  const current = tf.getKernel('Conv2D', 'wasm');
  if (current && current.kernelFunc !== (conv2D as unknown)) stock = current;
  if (!stock) return undefined;
  return { ...stock, kernelFunc: conv2D as unknown as tf.KernelFunc };
}
