import * as tf from '@tensorflow/tfjs';
import { maxPool1dGradInto } from '../wasm/conv1d';
import { heapKernels, heapOffset } from '../wasm/heap-kernels';
import {
  allocate,
  backendNameOf,
  type DirectKernelBackend,
  type KernelArgs,
  kernelConfig,
  view,
} from '../wasm/kernel-io';
import { poolLine } from './pool-line';

interface MaxPoolGradAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * `MaxPoolGrad` (the gradient of `maxPool`, and so of `MaxPooling1D`) in one pass: for each
 * output position it finds the first maximum of its window, channel by channel, and adds `dy`
 * there. The wasm backend's own kernel took 30 ms for a `[64, 124, 64]` Conv1D output. On wasm,
 * windows along one axis (`MaxPooling1D`) go to a SIMD kernel of assembly/conv1d.ts.
 */
export function maxPoolGrad({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const dx = allocate(backend, input.shape, 'float32');
  const out = view(backend, dx);
  const xs = view(backend, input);
  const gs = view(backend, dy);
  if (backendNameOf(backend) === 'wasm') {
    const line = poolLine(info);
    const heap = line ? heapKernels(backend) : null;
    if (line && heap) {
      // in the backend's own memory, where x, dy and dx are: nothing copied
      const { pool, stride, pad: start } = line.window;
      const { length, outLength } = line.shape;
      const [xp, gp, dxp] = [input, dy, dx].map((t) => heapOffset(backend, t)) as number[];
      heap.maxPool1dGrad(xp, gp, dxp, batchSize, length, outLength, channels, pool, stride, start);
      return dx;
    }
    if (line) {
      const shape = { batch: batchSize, ...line.shape, channels };
      const into = out as Float32Array;
      if (maxPool1dGradInto(xs as Float32Array, gs as Float32Array, shape, line.window, into)) {
        return dx;
      }
    }
  }
  out.fill(0);
  // Offsets (into the input) of the window positions that lie inside it, for one output position.
  const offsets = new Int32Array(filterHeight * filterWidth);
  for (let b = 0; b < batchSize; b++) {
    for (let orow = 0; orow < outHeight; orow++) {
      const r0 = orow * strideHeight - top;
      for (let ocol = 0; ocol < outWidth; ocol++) {
        const c0 = ocol * strideWidth - left;
        let valid = 0;
        for (let fr = 0; fr < filterHeight; fr++) {
          const r = r0 + fr;
          if (r < 0 || r >= inHeight) continue;
          for (let fc = 0; fc < filterWidth; fc++) {
            const c = c0 + fc;
            if (c >= 0 && c < inWidth)
              offsets[valid++] = ((b * inHeight + r) * inWidth + c) * channels;
          }
        }
        if (valid === 0) continue;
        const g = ((b * outHeight + orow) * outWidth + ocol) * channels;
        for (let ch = 0; ch < channels; ch++) {
          let at = offsets[0] + ch;
          let best = xs[at];
          for (let w = 1; w < valid; w++) {
            const v = xs[offsets[w] + ch];
            if (v > best) {
              best = v;
              at = offsets[w] + ch;
            }
          }
          out[at] += gs[g + ch];
        }
      }
    }
  }
  return dx;
}

/** Kernel config of {@link maxPoolGrad} for `backendName`. */
export function maxPoolGradConfig(backendName: DirectKernelBackend): tf.KernelConfig {
  return kernelConfig('MaxPoolGrad', backendName, maxPoolGrad);
}
