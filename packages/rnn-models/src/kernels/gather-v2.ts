import type * as tf from '@tensorflow/tfjs';
import {
  allocate,
  type DirectKernelBackend,
  type KernelArgs,
  kernelConfig,
  view,
} from '../wasm/kernel-io';

/**
 * `GatherV2` (`tf.gather`, and so the forward pass of `Embedding`) as block copies of whole
 * slices, `batchDims` included. The wasm backend's own kernel copies element by element (0.2 s
 * to gather a batch of 64 × 200 rows of 64 from a 20000-row table) and returns wrong values for
 * `batchDims > 0` in tfjs 4.22.
 */
export function gatherV2({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { x, indices } = inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
  const { axis: axisAttr, batchDims: batchAttr = 0 } = attrs as {
    axis: number;
    batchDims?: number;
  };
  const rank = x.shape.length;
  const axis = axisAttr < 0 ? axisAttr + rank : axisAttr;
  const batchDims = batchAttr < 0 ? batchAttr + indices.shape.length : batchAttr;
  const size = (dims: number[]) => dims.reduce((a, b) => a * b, 1);
  const batches = size(x.shape.slice(0, batchDims));
  const outer = size(x.shape.slice(batchDims, axis));
  const axisDim = x.shape[axis];
  const inner = size(x.shape.slice(axis + 1));
  const perBatch = size(indices.shape.slice(batchDims));
  const outShape = [
    ...x.shape.slice(0, axis),
    ...indices.shape.slice(batchDims),
    ...x.shape.slice(axis + 1),
  ];
  const out = allocate(backend, outShape, x.dtype);
  const o = view(backend, out);
  const src = view(backend, x);
  const ids = view(backend, indices);
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] < 0 || ids[i] >= axisDim) {
      throw new Error(`GatherV2: the index value ${ids[i]} is not in [0, ${axisDim - 1}]`);
    }
  }
  let dst = 0;
  for (let b = 0; b < batches; b++) {
    for (let p = 0; p < outer; p++) {
      const srcBase = (b * outer + p) * axisDim * inner;
      for (let i = 0; i < perBatch; i++) {
        const from = srcBase + ids[b * perBatch + i] * inner;
        o.set(src.subarray(from, from + inner), dst);
        dst += inner;
      }
    }
  }
  return out;
}

/** Kernel config of {@link gatherV2} for `backendName`. */
export function gatherV2Config(backendName: DirectKernelBackend): tf.KernelConfig {
  return kernelConfig('GatherV2', backendName, gatherV2);
}
