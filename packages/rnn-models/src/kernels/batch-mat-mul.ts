import * as tf from '@tensorflow/tfjs';
import { type KernelArgs, release, view } from '../wasm/kernel-io';
import { flushDenormals } from './flush-denormals';

let stock: tf.KernelConfig | undefined;

function transposeLastTwo(
  transpose: tf.KernelConfig,
  x: tf.TensorInfo,
  backend: unknown,
): tf.TensorInfo {
  const rank = x.shape.length;
  const perm = [...Array(rank).keys()];
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return transpose.kernelFunc({
    inputs: { x },
    backend: backend as tf.KernelBackend,
    attrs: { perm },
  }) as tf.TensorInfo;
}

/**
 * `BatchMatMul` for wasm around the backend's own kernel, which it makes fast in two cases where it
 * is slow: it transposes an operand explicitly before the product (the wasm kernel falls back to a
 * naive loop when asked to transpose, which every backward pass of a dense or recurrent layer does:
 * `x^T · dy`, `dy · W^T`), and it flushes subnormal operand values to zero first, in place, as
 * TensorFlow's CPU kernels do (see {@link flushDenormals}).
 */
export function batchMatMul(args: KernelArgs): tf.TensorInfo {
  const inner = stock!;
  const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  if (a.dtype === 'float32') flushDenormals(view(args.backend, a) as Float32Array);
  if (b.dtype === 'float32') flushDenormals(view(args.backend, b) as Float32Array);
  if (!transposeA && !transposeB) return inner.kernelFunc(args as never) as tf.TensorInfo;
  const transpose = tf.getKernel('Transpose', 'wasm')!;
  const a2 = transposeA ? transposeLastTwo(transpose, a, args.backend) : a;
  const b2 = transposeB ? transposeLastTwo(transpose, b, args.backend) : b;
  const out = inner.kernelFunc({
    inputs: { a: a2, b: b2 },
    backend: args.backend as tf.KernelBackend,
    attrs: { transposeA: false, transposeB: false },
  }) as tf.TensorInfo;
  if (transposeA) release(args.backend, a2);
  if (transposeB) release(args.backend, b2);
  return out;
}

/**
 * Kernel config of {@link batchMatMul} for wasm, wrapping the wasm backend's own kernel (its
 * setup included); `undefined` when the wasm backend has no `BatchMatMul` registered.
 */
export function batchMatMulConfig(): tf.KernelConfig | undefined {
  const current = tf.getKernel('BatchMatMul', 'wasm');
  if (current && current.kernelFunc !== (batchMatMul as unknown)) stock = current;
  if (!stock) return undefined;
  return { ...stock, kernelFunc: batchMatMul as unknown as tf.KernelFunc };
}
