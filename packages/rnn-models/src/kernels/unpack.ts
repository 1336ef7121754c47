import type * as tf from '@tensorflow/tfjs';
import {
  allocate,
  type DirectKernelBackend,
  type KernelArgs,
  kernelConfig,
  view,
} from '../wasm/kernel-io';

/**
 * `Unpack` (`tf.unstack`) as block copies. Recurrent layers unstack their input into one tensor
 * per time step; the wasm backend's own kernel slices each step separately and took 0.4 s to
 * unstack a `[64, 200, 64]` batch.
 */
export function unpack({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const { value } = inputs as { value: tf.TensorInfo };
  let { axis } = attrs as { axis: number };
  const rank = value.shape.length;
  if (axis < 0) axis += rank;
  const count = value.shape[axis];
  const outShape = value.shape.filter((_, i) => i !== axis);
  const outer = value.shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = value.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outs = Array.from({ length: count }, () => allocate(backend, outShape, value.dtype));
  const src = view(backend, value);
  for (let j = 0; j < count; j++) {
    const dst = view(backend, outs[j]);
    if (outer === 1) {
      dst.set(src.subarray(j * inner, (j + 1) * inner));
      continue;
    }
    for (let o = 0; o < outer; o++) {
      const from = (o * count + j) * inner;
      dst.set(src.subarray(from, from + inner), o * inner);
    }
  }
  return outs;
}

/** Kernel config of {@link unpack} for `backendName`. */
export function unpackConfig(backendName: DirectKernelBackend): tf.KernelConfig {
  return kernelConfig('Unpack', backendName, unpack);
}
