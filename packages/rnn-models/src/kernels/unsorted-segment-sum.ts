import type * as tf from '@tensorflow/tfjs';
import {
  allocate,
  type DirectKernelBackend,
  type KernelArgs,
  kernelConfig,
  view,
} from '../wasm/kernel-io';

/**
 * `UnsortedSegmentSum` as one scatter-add over rows: `out[segmentIds[i]] += x[i]`. Rows whose id
 * lies outside `[0, numSegments)` are dropped, as TensorFlow does. This is the gradient of
 * `tf.gather` and so of `Embedding`; the cpu backend's own kernel builds one mask per segment.
 */
export function unsortedSegmentSum({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const numSegments = (attrs as { numSegments: number }).numSegments;
  const rows = segmentIds.shape.reduce((a, b) => a * b, 1);
  const innerShape = x.shape.slice(segmentIds.shape.length);
  const inner = innerShape.reduce((a, b) => a * b, 1);
  const out = allocate(backend, [numSegments, ...innerShape], x.dtype);
  const o = view(backend, out);
  o.fill(0);
  const xs = view(backend, x);
  const ids = view(backend, segmentIds);
  for (let i = 0; i < rows; i++) {
    const id = ids[i];
    if (id < 0 || id >= numSegments) continue;
    const src = i * inner;
    const dst = id * inner;
    for (let j = 0; j < inner; j++) o[dst + j] += xs[src + j];
  }
  return out;
}

/** Kernel config of {@link unsortedSegmentSum} for `backendName`. */
export function unsortedSegmentSumConfig(backendName: DirectKernelBackend): tf.KernelConfig {
  return kernelConfig('UnsortedSegmentSum', backendName, unsortedSegmentSum);
}
