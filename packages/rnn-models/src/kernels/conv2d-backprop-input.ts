import * as tf from '@tensorflow/tfjs';
import { conv1dGeometry, conv1dInputGradInto } from '../wasm/conv1d';
import { allocate, type KernelArgs, kernelConfig, release, view } from '../wasm/kernel-io';

interface Conv2DBackpropInputAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

let stock: tf.KernelConfig | undefined;

/**
 * `Conv2DBackpropInput` for wasm (the input gradient of `conv2d`, and so of a `Conv1D` that is not
 * the first layer, after an `Embedding` say) as one forward convolution on the wasm backend's own
 * `Conv2D` (XNNPACK): `dy`, spread out by the strides and padded, convolved with the filter
 * rotated by 180° and with its channel axes swapped. The wasm backend's own kernel is a direct
 * loop about ten times slower than the forward convolution. Channels-first data goes to it. A
 * conv1d (filter height 1, stride and dilation 1 along the width) goes to the SIMD kernels of
 * assembly/conv1d.ts instead: `dy · wᵀ`, then each row's taps added into the input rows they
 * came from.
 */
export function conv2DBackpropInput(args: KernelArgs<tf.KernelBackend>): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } =
    attrs as unknown as Conv2DBackpropInputAttrs;
  if (dataFormat === 'NCHW' && stock) return stock.kernelFunc(args) as tf.TensorInfo;
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const geometry = dy.dtype === 'float32' ? conv1dGeometry(info) : null;
  if (geometry) {
    const out = allocate(backend, inputShape, 'float32');
    const gs = view(backend, dy) as Float32Array;
    const ws = view(backend, filter) as Float32Array;
    if (conv1dInputGradInto(gs, ws, geometry, view(backend, out) as Float32Array)) return out;
    release(backend, out);
  }
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  // dx[b, i, j, ci] = Σ dyd[b, i + top - fh, j + left - fw, co] · W[fh, fw, ci, co], with dyd
  // the strided dy; as a valid convolution over a buffer padded by (fh-1-top, fw-1-left).
  const padTop = filterHeight - 1 - info.padInfo.top;
  const padLeft = filterWidth - 1 - info.padInfo.left;
  const height = inHeight + filterHeight - 1;
  const width = inWidth + filterWidth - 1;
  const spread = allocate(backend, [batchSize, height, width, outChannels], 'float32');
  const rotated = allocate(
    backend,
    [filterHeight, filterWidth, outChannels, inChannels],
    'float32',
  );
  {
    const s = view(backend, spread);
    const g = view(backend, dy);
    s.fill(0);
    for (let b = 0; b < batchSize; b++) {
      for (let r = 0; r < outHeight; r++) {
        const row = padTop + r * strideHeight;
        if (row < 0 || row >= height) continue;
        for (let c = 0; c < outWidth; c++) {
          const col = padLeft + c * strideWidth;
          if (col < 0 || col >= width) continue;
          const from = ((b * outHeight + r) * outWidth + c) * outChannels;
          s.set(
            g.subarray(from, from + outChannels),
            ((b * height + row) * width + col) * outChannels,
          );
        }
      }
    }
    const w = view(backend, filter);
    const o = view(backend, rotated);
    for (let fh = 0; fh < filterHeight; fh++) {
      for (let fw = 0; fw < filterWidth; fw++) {
        const src = ((filterHeight - 1 - fh) * filterWidth + (filterWidth - 1 - fw)) * inChannels;
        const dst = (fh * filterWidth + fw) * outChannels;
        for (let ci = 0; ci < inChannels; ci++) {
          for (let co = 0; co < outChannels; co++) {
            o[(dst + co) * inChannels + ci] = w[(src + ci) * outChannels + co];
          }
        }
      }
    }
  }
  const conv = tf.getKernel('Conv2D', 'wasm')!;
  const dx = conv.kernelFunc({
    inputs: { x: spread, filter: rotated },
    backend,
    attrs: { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1] },
  }) as tf.TensorInfo;
  release(backend, spread);
  release(backend, rotated);
  return dx;
}

/** Kernel config of {@link conv2DBackpropInput} for wasm, keeping wasm's own for channels-first. */
export function conv2DBackpropInputConfig(): tf.KernelConfig {
  const current = tf.getKernel('Conv2DBackpropInput', 'wasm');
  if (current && current.kernelFunc !== (conv2DBackpropInput as unknown)) stock = current;
  return kernelConfig('Conv2DBackpropInput', 'wasm', conv2DBackpropInput);
}
