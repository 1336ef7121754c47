import type * as tf from '@tensorflow/tfjs';
import { type KernelArgs, kernelConfig } from '../wasm/kernel-io';

interface RefCounting {
  incRef(dataId: object): void;
}

/**
 * `Identity` for wasm that shares the input's data (counting one more reference, as the wasm
 * backend's own `Reshape` and the cpu backend's `Identity` do) instead of copying it. tfjs clones
 * every tensor that a gradient needs through this kernel, so in training the wasm backend's own
 * one copied each large activation once more per step.
 */
export function identity({ inputs, backend }: KernelArgs): tf.TensorInfo {
  const { x } = inputs as { x: tf.TensorInfo };
  (backend as RefCounting).incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

/** Kernel config of {@link identity} for wasm. */
export function identityConfig(): tf.KernelConfig {
  return kernelConfig('Identity', 'wasm', identity);
}
