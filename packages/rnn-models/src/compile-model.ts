import * as tf from '@tensorflow/tfjs';
import { FusedAdam } from './fused/fused-adam';
import type { CompileOptions } from './model-config';
import { checkOneOf, configError } from './validate';
import { withGradientClipping } from './with-gradient-clipping';

const DEFAULT_LEARNING_RATE = {
  adam: 0.001,
  sgd: 0.01,
  rmsprop: 0.001,
  adagrad: 0.01,
  adadelta: 1,
  adamax: 0.001,
} as const;

/** Creates a tfjs optimizer from its name and learning rate (Keras defaults). */
export function makeOptimizer(
  name: CompileOptions['optimizer'] = 'adam',
  learningRate?: number,
): tf.Optimizer {
  const optimizer = checkOneOf(
    name,
    Object.keys(DEFAULT_LEARNING_RATE) as (keyof typeof DEFAULT_LEARNING_RATE)[],
    'optimizer',
  );
  const lr = learningRate ?? DEFAULT_LEARNING_RATE[optimizer];
  if (typeof lr !== 'number' || !(lr > 0) || !Number.isFinite(lr)) {
    configError('learningRate', 'a finite number > 0', lr);
  }
  switch (optimizer) {
    case 'adam':
      return new FusedAdam(lr);
    case 'sgd':
      return tf.train.sgd(lr);
    case 'rmsprop':
      return tf.train.rmsprop(lr);
    case 'adagrad':
      return tf.train.adagrad(lr);
    case 'adadelta':
      return tf.train.adadelta(lr);
    case 'adamax':
      return tf.train.adamax(lr);
  }
}

/** The loss a model's output layer calls for: its activation decides. */
export function defaultLoss(model: tf.LayersModel): string {
  const last = model.layers[model.layers.length - 1];
  const config = last.getConfig();
  const inner = (config.layer as { config?: { activation?: string } } | undefined)?.config;
  const activation = (config.activation as string | undefined) ?? inner?.activation;
  if (activation === 'softmax') return 'categoricalCrossentropy';
  if (activation === 'sigmoid') return 'binaryCrossentropy';
  return 'meanSquaredError';
}

/**
 * Compiles a model with an optimizer given by name, Keras' default learning rates, and a loss and
 * metrics chosen from the output layer unless given: softmax → `categoricalCrossentropy` (one-hot
 * labels) with accuracy, sigmoid → `binaryCrossentropy` with accuracy, linear → `meanSquaredError`.
 * With `clipNorm` or `clipValue` the optimizer is wrapped by {@link withGradientClipping}, so
 * `model.fit` clips too. Returns the model.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { compileModel, createRnnClassifier } from '@seqlearn/rnn-models';
 * const model = compileModel(
 *   createRnnClassifier({ cell: 'gru', units: 8, inputShape: [5, 3], numClasses: 2, seed: 0 }),
 *   { optimizer: 'adam', learningRate: 0.01, loss: 'sparseCategoricalCrossentropy', clipNorm: 1 },
 * );
 * console.log(model.loss); // sparseCategoricalCrossentropy
 * ```
 * @throws {RnnModelsError} `INVALID_CONFIG` for an unknown optimizer or a learning rate that is not
 * a finite number > 0.
 */
export function compileModel<M extends tf.LayersModel>(
  model: M,
  { optimizer = 'adam', learningRate, loss, metrics, clipNorm, clipValue }: CompileOptions = {},
): M {
  let opt = makeOptimizer(optimizer, learningRate);
  if (clipNorm !== undefined || clipValue !== undefined) {
    opt = withGradientClipping(opt, { clipNorm, clipValue });
  }
  const chosenLoss = loss ?? defaultLoss(model);
  const isClassifier =
    chosenLoss !== 'meanSquaredError' && !/absolute|squared|huber|logcosh/i.test(chosenLoss);
  model.compile({
    optimizer: opt,
    loss: chosenLoss,
    metrics: metrics ? [...metrics] : isClassifier ? ['accuracy'] : [],
  });
  return model;
}
