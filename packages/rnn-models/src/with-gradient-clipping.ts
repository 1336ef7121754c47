import * as tf from '@tensorflow/tfjs';
import { clipByGlobalNorm } from './clip-by-global-norm';
import { argumentError } from './validate';

/** Options for {@link withGradientClipping}. */
export interface GradientClippingOptions {
  /**
   * Scale all gradients together so that their global L2 norm is at most this
   * (`tf.clip_by_global_norm`; Keras calls it `global_clipnorm`). @default none
   */
  clipNorm?: number;
  /** Clip every gradient element to `[-clipValue, clipValue]` (Keras `clipvalue`). @default none */
  clipValue?: number;
}

type Gradients = tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[];

/**
 * Makes a tfjs optimizer clip gradients before it applies them, so that `model.fit` (whose
 * optimizers have no `clipnorm`) and {@link train} get gradient clipping. `clipValue` is applied
 * first, then `clipNorm`. The optimizer is patched in place and returned.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { withGradientClipping } from '@seqlearn/rnn-models';
 * const w = tf.variable(tf.tensor([0, 0]));
 * const sgd = withGradientClipping(tf.train.sgd(1), { clipNorm: 1 });
 * sgd.applyGradients({ [w.name]: tf.tensor([30, 40]) });
 * console.log(Array.from(w.dataSync())); // [-0.6, -0.8] (in float32)
 * ```
 * @throws {RnnModelsError} `INVALID_ARGUMENT` when `clipNorm` or `clipValue` is not > 0.
 */
export function withGradientClipping<O extends tf.Optimizer>(
  optimizer: O,
  { clipNorm, clipValue }: GradientClippingOptions,
): O {
  if (clipNorm !== undefined && !(typeof clipNorm === 'number' && clipNorm > 0)) {
    argumentError('clipNorm', 'a number > 0', clipNorm);
  }
  if (clipValue !== undefined && !(typeof clipValue === 'number' && clipValue > 0)) {
    argumentError('clipValue', 'a number > 0', clipValue);
  }
  const apply = optimizer.applyGradients.bind(optimizer);
  optimizer.applyGradients = (gradients: Gradients) => {
    const isList = Array.isArray(gradients);
    const names = isList ? gradients.map((g) => g.name) : Object.keys(gradients);
    const tensors = isList ? gradients.map((g) => g.tensor) : names.map((n) => gradients[n]);
    const clipped = clipGradients(tensors, { clipNorm, clipValue });
    try {
      apply(
        isList
          ? names.map((name, i) => ({ name, tensor: clipped[i] }))
          : Object.fromEntries(names.map((n, i) => [n, clipped[i]])),
      );
    } finally {
      tf.dispose(clipped.filter((t, i) => t !== tensors[i]));
    }
  };
  return optimizer;
}

/** Applies `clipValue` then `clipNorm`; returns new tensors (or the inputs when neither is set). */
export function clipGradients(
  tensors: tf.Tensor[],
  { clipNorm, clipValue }: GradientClippingOptions,
): tf.Tensor[] {
  if (clipNorm === undefined && clipValue === undefined) return tensors;
  return tf.tidy(() => {
    let out = tensors;
    if (clipValue !== undefined) out = out.map((t) => tf.clipByValue(t, -clipValue, clipValue));
    if (clipNorm !== undefined) out = clipByGlobalNorm(out, clipNorm).clipped;
    return out;
  });
}
