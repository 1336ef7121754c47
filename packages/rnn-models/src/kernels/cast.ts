import * as tf from '@tensorflow/tfjs';
import type { KernelArgs } from '../wasm/kernel-io';
import { identity } from './identity';

let stock: tf.KernelConfig | undefined;

/**
 * `Cast` for wasm that shares the data when the type does not change (as the cpu backend does;
 * the gradient of `relu` casts its float mask to float, which the wasm backend's own kernel
 * copies). Other casts go to the backend's own kernel.
 */
export function cast(args: KernelArgs): tf.TensorInfo {
  const { x } = args.inputs as { x: tf.TensorInfo };
  const { dtype } = args.attrs as unknown as { dtype: tf.DataType };
  if (x.dtype === dtype) return identity(args);
  return stock!.kernelFunc(args as never) as tf.TensorInfo;
}

/**
 * Kernel config of {@link cast} for wasm, wrapping the wasm backend's own kernel (its setup
 * included); `undefined` when the wasm backend has no `Cast` registered.
 */
export function castConfig(): tf.KernelConfig | undefined {
  const current = tf.getKernel('Cast', 'wasm');
  if (current && current.kernelFunc !== (cast as unknown)) stock = current;
  if (!stock) return undefined;
  return { ...stock, kernelFunc: cast as unknown as tf.KernelFunc };
}
