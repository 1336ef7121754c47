import * as tf from '@tensorflow/tfjs';
import { allocate, type DirectKernelBackend, kernelConfig, view } from '../wasm/kernel-io';

/** Broadcasts dy / n over a contiguous block of reduced axes: input dy; output x's shape. */
const BROADCAST_KERNEL = 'SeqlearnMeanGrad';

interface BroadcastAttrs {
  shape: number[];
  outer: number;
  reduced: number;
  inner: number;
  scale: number;
}

function broadcast({
  inputs,
  backend,
  attrs,
}: {
  inputs: tf.NamedTensorInfoMap;
  backend: never;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const { shape, outer, reduced, inner, scale } = attrs as unknown as BroadcastAttrs;
  const out = allocate(backend, shape, 'float32');
  // views only after the allocation: a wasm allocation may move the heap
  const dy = view(backend, (inputs as { dy: tf.TensorInfo }).dy) as Float32Array;
  const o = view(backend, out) as Float32Array;
  const block = reduced * inner;
  for (let p = 0; p < outer; p++) {
    const base = p * block;
    for (let i = 0; i < inner; i++) o[base + i] = (dy[p * inner + i] as number) * scale;
    // the scaled row repeated down the block: copies of what is filled, doubling
    for (let filled = inner; filled < block; filled *= 2) {
      o.copyWithin(base + filled, base, base + Math.min(filled, block - filled));
    }
  }
  return out;
}

/**
 * dy / n broadcast to `x`'s shape by {@link broadcast} in one pass, where the backend is wasm or
 * cpu and the reduced axes are one contiguous block; `null` elsewhere.
 */
function broadcastKernel(
  dy: tf.Tensor,
  x: tf.Tensor,
  axes: number[],
  reduceSize: number,
): tf.Tensor | null {
  const backendName = tf.getBackend();
  if (backendName !== 'wasm' && backendName !== 'cpu') return null;
  if (dy.dtype !== 'float32' || x.dtype !== 'float32' || axes.length === 0) return null;
  const sorted = [...axes].sort((p, q) => p - q);
  const first = sorted[0] as number;
  if (sorted.some((a, i) => a !== first + i)) return null;
  const last = first + sorted.length;
  if (!tf.getKernel(BROADCAST_KERNEL, backendName)) {
    tf.registerKernel(
      kernelConfig(BROADCAST_KERNEL, backendName as DirectKernelBackend, broadcast),
    );
  }
  const size = (from: number, to: number) =>
    x.shape.slice(from, to).reduce((p, d) => p * d, 1 as number);
  const attrs = {
    shape: x.shape,
    outer: size(0, first),
    reduced: size(first, last),
    inner: size(last, x.rank),
    scale: 1 / reduceSize,
  };
  return tf
    .engine()
    .runKernel(BROADCAST_KERNEL, { dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}

/**
 * The gradient of `Mean`, as tfjs-core's but without its `ones(x.shape)`: tfjs fills that array
 * in JavaScript and uploads it on every backward pass (about 0.9 ms of a `har-conv1d` step for
 * `GlobalAveragePooling1D`'s 254k floats on wasm). On wasm and cpu, over one contiguous block of
 * axes (`GlobalAveragePooling1D`'s), one kernel writes dy / n to every position it reduced,
 * copying each scaled row down its block; elsewhere the backend fills the ones (`OnesLike`) and
 * the small output gradient is divided before it is broadcast. The same values either way.
 * (wasm's `Tile`, the other way to broadcast, took 17 ms for that shape.)
 */
export const meanGradConfig: tf.GradConfig = {
  kernelName: 'Mean',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved as [tf.Tensor];
    const { axis } = attrs as unknown as { axis: number | number[] };
    const axes = tf.util.parseAxisParam(axis, x.shape);
    const [, reduceShape] = tf.backend_util.computeOutAndReduceShapes(x.shape, axes);
    const reduceSize = tf.util.sizeFromShape(reduceShape);
    const derX = () => {
      const direct = broadcastKernel(dy as tf.Tensor, x, axes, reduceSize);
      if (direct) return direct;
      const expandedShape = x.shape.slice();
      for (const a of axes) expandedShape[a] = 1;
      const scaled = tf.div(tf.reshape(dy as tf.Tensor, expandedShape), reduceSize);
      return tf.mul(scaled, tf.onesLike(x));
    };
    return { x: derX };
  },
};

/** Installs {@link meanGradConfig} in place of tfjs-core's (gradients are not per backend). */
export function registerMeanGradient(): void {
  tf.registerGradient(meanGradConfig);
}
