import * as tf from '@tensorflow/tfjs';
import { argumentError } from './validate';

/**
 * Scales a list of tensors so that their global L2 norm is at most `clipNorm`, with the semantics
 * of TensorFlow's `tf.clip_by_global_norm`: `globalNorm = sqrt(Σ ‖t‖²)` and every tensor becomes
 * `t · clipNorm / max(globalNorm, clipNorm)`. Returns new tensors (the caller disposes them) and
 * the norm before clipping.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { clipByGlobalNorm } from '@seqlearn/rnn-models';
 * const { clipped, globalNorm } = clipByGlobalNorm([tf.tensor([3, 0]), tf.tensor([4])], 1);
 * console.log(globalNorm, clipped.map((t) => Array.from(t.dataSync()))); // 5 [[0.6, 0], [0.8]] (in float32)
 * ```
 * @throws {RnnModelsError} `INVALID_ARGUMENT` when `clipNorm` is not > 0.
 */
export function clipByGlobalNorm(
  tensors: readonly tf.Tensor[],
  clipNorm: number,
): { clipped: tf.Tensor[]; globalNorm: number } {
  if (typeof clipNorm !== 'number' || !(clipNorm > 0))
    argumentError('clipNorm', 'a number > 0', clipNorm);
  return tf.tidy(() => {
    const norm = globalNormOf(tensors);
    const globalNorm = norm.dataSync()[0];
    const scale = tf.div(clipNorm, tf.maximum(norm, clipNorm));
    const clipped = tensors.map((t) => tf.mul(t, scale));
    return { clipped, globalNorm } as unknown as tf.TensorContainerObject;
  }) as unknown as { clipped: tf.Tensor[]; globalNorm: number };
}

/** `sqrt(Σ ‖t‖²)` over all tensors, as a scalar tensor. */
export function globalNormOf(tensors: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => {
    if (tensors.length === 0) return tf.scalar(0);
    const squares = tensors.map((t) => tf.sum(tf.square(t)));
    return tf.sqrt(tf.addN(squares)) as tf.Scalar;
  });
}
