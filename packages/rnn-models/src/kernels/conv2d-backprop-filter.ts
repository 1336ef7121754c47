import * as tf from '@tensorflow/tfjs';
import { conv1dFilterGradInto, conv1dGeometry } from '../wasm/conv1d';
import {
  allocate,
  backendNameOf,
  type DirectKernelBackend,
  type KernelArgs,
  kernelConfig,
  release,
  view,
} from '../wasm/kernel-io';

interface Conv2DBackpropFilterAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/**
 * `Conv2DBackpropFilter` (the filter gradient of `conv2d`, and so of `Conv1D`) as an im2col and
 * one matrix product: the input patches are laid out as a `[batch·outHeight·outWidth,
 * filterHeight·filterWidth·inChannels]` matrix (for channels-last data each patch row is a few
 * contiguous copies) and its transpose is multiplied by `dy` seen as `[batch·outHeight·outWidth,
 * outChannels]`, which gives the filter in its `[filterHeight, filterWidth, inChannels,
 * outChannels]` layout directly. On wasm the product is the backend's `BatchMatMul` (XNNPACK);
 * on cpu a tight loop. On wasm a conv1d (filter height 1, stride and dilation 1 along the width,
 * channels last) skips the im2col: one SIMD kernel of the module in assembly/conv1d.ts reads the
 * patches straight from the (padded) input.
 */
export function conv2DBackpropFilter({
  inputs,
  backend,
  attrs,
}: KernelArgs<tf.KernelBackend>): tf.TensorInfo {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
    attrs as unknown as Conv2DBackpropFilterAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(dataFormat),
  );
  if (backendNameOf(backend) === 'wasm') {
    const geometry = conv1dGeometry(info);
    if (geometry) {
      const out = allocate(backend, [...filterShape], 'float32');
      const xs = view(backend, x) as Float32Array;
      const gs = view(backend, dy) as Float32Array;
      if (conv1dFilterGradInto(xs, gs, geometry, view(backend, out) as Float32Array)) return out;
      release(backend, out);
    }
  }
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const channelsLast = info.dataFormat === 'channelsLast';
  const n = batchSize * outHeight * outWidth;
  const k = filterHeight * filterWidth * inChannels;
  const span = filterWidth * inChannels; // one filter row of a patch

  const cols = allocate(backend, [1, n, k], 'float32');
  // dy must be [n, outChannels]: channels-last already is; channels-first is transposed here.
  const dyMatrix = channelsLast ? null : allocate(backend, [1, n, outChannels], 'float32');
  const a = view(backend, cols);
  const xs = view(backend, x);
  // Input strides for (b, row, col, channel) in either layout.
  const sb = inHeight * inWidth * inChannels;
  const sr = channelsLast ? inWidth * inChannels : inWidth;
  const sc = channelsLast ? inChannels : 1;
  const sch = channelsLast ? 1 : inHeight * inWidth;
  let dst = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let orow = 0; orow < outHeight; orow++) {
      for (let ocol = 0; ocol < outWidth; ocol++) {
        const c0 = ocol * strideWidth - left;
        const inside = c0 >= 0 && c0 + filterWidth <= inWidth;
        for (let fr = 0; fr < filterHeight; fr++, dst += span) {
          const r = orow * strideHeight + fr - top;
          if (r < 0 || r >= inHeight) {
            a.fill(0, dst, dst + span);
          } else if (channelsLast && inside) {
            const from = b * sb + r * sr + c0 * inChannels;
            a.set(xs.subarray(from, from + span), dst);
          } else {
            let p = dst;
            for (let fc = 0; fc < filterWidth; fc++) {
              const c = c0 + fc;
              const base = b * sb + r * sr + c * sc;
              const out = c < 0 || c >= inWidth;
              for (let ch = 0; ch < inChannels; ch++, p++) a[p] = out ? 0 : xs[base + ch * sch];
            }
          }
        }
      }
    }
  }
  if (dyMatrix) {
    const d = view(backend, dyMatrix);
    const g = view(backend, dy);
    const plane = outHeight * outWidth;
    for (let b = 0; b < batchSize; b++) {
      for (let o = 0; o < outChannels; o++) {
        const src = (b * outChannels + o) * plane;
        for (let q = 0; q < plane; q++) d[(b * plane + q) * outChannels + o] = g[src + q];
      }
    }
  }
  if (backendNameOf(backend) === 'cpu') {
    const out = allocate(backend, [...filterShape], 'float32');
    const w = view(backend, out);
    const g = view(backend, dyMatrix ?? dy);
    const acc = new Float64Array(k * outChannels);
    for (let p = 0; p < n; p++) {
      const aBase = p * k;
      const gBase = p * outChannels;
      for (let q = 0; q < k; q++) {
        const v = a[aBase + q];
        if (v === 0) continue;
        const wBase = q * outChannels;
        for (let o = 0; o < outChannels; o++) acc[wBase + o] += v * g[gBase + o];
      }
    }
    w.set(acc);
    release(backend, cols);
    if (dyMatrix) release(backend, dyMatrix);
    return out;
  }
  const bInfo: tf.TensorInfo = dyMatrix ?? {
    dataId: dy.dataId,
    shape: [1, n, outChannels],
    dtype: 'float32',
  };
  // The registered wasm BatchMatMul (seqlearn's) transposes `cols` explicitly first.
  const matMul = tf.getKernel('BatchMatMul', 'wasm')!;
  const out = matMul.kernelFunc({
    inputs: { a: cols, b: bInfo },
    backend,
    attrs: { transposeA: true, transposeB: false },
  }) as tf.TensorInfo;
  release(backend, cols);
  if (dyMatrix) release(backend, dyMatrix);
  out.shape = [...filterShape];
  return out;
}

/** Kernel config of {@link conv2DBackpropFilter} for `backendName`. */
export function conv2DBackpropFilterConfig(backendName: DirectKernelBackend): tf.KernelConfig {
  return kernelConfig('Conv2DBackpropFilter', backendName, conv2DBackpropFilter);
}
