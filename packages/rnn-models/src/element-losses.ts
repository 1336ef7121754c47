import * as tf from '@tensorflow/tfjs';
import { argumentError } from './validate';

/** Loss names the training loop knows (tfjs/Keras names). */
export type LossName =
  | 'meanSquaredError'
  | 'meanAbsoluteError'
  | 'categoricalCrossentropy'
  | 'sparseCategoricalCrossentropy'
  | 'binaryCrossentropy';

export const LOSS_NAMES: readonly LossName[] = [
  'meanSquaredError',
  'meanAbsoluteError',
  'categoricalCrossentropy',
  'sparseCategoricalCrossentropy',
  'binaryCrossentropy',
];

const EPSILON = 1e-7; // Keras' backend epsilon

/**
 * Per-element losses, shape `pred.shape[:-1]` (one value per example, or per example and step),
 * and the class index of each element for class weights and accuracy.
 */
export function elementLosses(loss: LossName, yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    switch (loss) {
      case 'meanSquaredError':
        return tf.mean(tf.square(tf.sub(yPred, yTrue)), -1);
      case 'meanAbsoluteError':
        return tf.mean(tf.abs(tf.sub(yPred, yTrue)), -1);
      case 'categoricalCrossentropy':
        return tf.neg(
          tf.sum(tf.mul(yTrue, tf.log(tf.clipByValue(yPred, EPSILON, 1 - EPSILON))), -1),
        );
      case 'sparseCategoricalCrossentropy':
        return elementLosses('categoricalCrossentropy', sparseToOneHot(yTrue, yPred), yPred);
      case 'binaryCrossentropy': {
        const p = tf.clipByValue(yPred, EPSILON, 1 - EPSILON);
        const ll = tf.add(tf.mul(yTrue, tf.log(p)), tf.mul(tf.sub(1, yTrue), tf.log(tf.sub(1, p))));
        return tf.neg(tf.mean(ll, -1));
      }
    }
  });
}

/** Integer labels of shape `pred.shape[:-1]` (or with a trailing 1) as one-hot like `pred`. */
export function sparseToOneHot(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const lead = yPred.shape.slice(0, -1);
    const classes = yPred.shape[yPred.shape.length - 1];
    if (yTrue.size !== lead.reduce((a, b) => a * b, 1)) {
      argumentError(
        'y',
        `integer labels of shape [${lead}] for sparseCategoricalCrossentropy`,
        yTrue.shape,
      );
    }
    const idx = tf.cast(tf.reshape(yTrue, [-1]), 'int32') as tf.Tensor1D;
    return tf.reshape(tf.oneHot(idx, classes), yPred.shape);
  });
}

/** The class of each element, shape `pred.shape[:-1]`, for class weights and accuracy. */
export function classIndices(loss: LossName, yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const lead = yPred.shape.slice(0, -1);
    if (loss === 'sparseCategoricalCrossentropy') return tf.reshape(tf.cast(yTrue, 'int32'), lead);
    if (loss === 'binaryCrossentropy') {
      return tf.reshape(
        tf.cast(tf.round(yTrue), 'int32'),
        yTrue.shape[yTrue.shape.length - 1] === 1 ? lead : yTrue.shape,
      );
    }
    return tf.argMax(yTrue, -1);
  });
}

/** Per-element 1/0 correctness, shape `pred.shape[:-1]` (binary: per output unit, averaged). */
export function elementAccuracy(loss: LossName, yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    if (loss === 'binaryCrossentropy') {
      return tf.mean(
        tf.cast(tf.equal(tf.greater(yPred, 0.5), tf.greater(yTrue, 0.5)), 'float32'),
        -1,
      );
    }
    const truth = classIndices(loss, yTrue, yPred);
    return tf.cast(tf.equal(tf.argMax(yPred, -1), tf.cast(truth, 'int32')), 'float32');
  });
}
