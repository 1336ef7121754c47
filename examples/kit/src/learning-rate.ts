import type * as tf from '@tensorflow/tfjs';

/**
 * Sets the learning rate of a compiled model's optimizer between epochs (a per-epoch decay).
 * tfjs' Adam and RMSProp and seqlearn's FusedAdam read their `learningRate` field at every step;
 * tfjs' SGD and momentum keep the rate in a tensor, which only their `setLearningRate` updates.
 * An optimizer wrapped by `withGradientClipping` is the same object.
 * @example
 * ```ts
 * setLearningRate(model, 0.003 * 0.8 ** epoch);
 * ```
 */
export function setLearningRate(model: tf.LayersModel, rate: number): void {
  const optimizer = model.optimizer as unknown as
    | { learningRate?: unknown; setLearningRate?: (rate: number) => void }
    | undefined;
  if (typeof optimizer?.learningRate !== 'number') {
    throw new Error('setLearningRate: the model has no compiled optimizer with a learningRate');
  }
  if (typeof optimizer.setLearningRate === 'function') optimizer.setLearningRate(rate);
  else optimizer.learningRate = rate;
}
