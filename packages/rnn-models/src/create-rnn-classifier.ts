import type * as tf from '@tensorflow/tfjs';
import { createSequenceModel } from './create-sequence-model';
import type { RecurrentCell, SequenceModelConfig } from './model-config';
import { configError } from './validate';

/** Config of {@link createRnnClassifier}: a {@link SequenceModelConfig} with a cell and classes. */
export interface RnnClassifierConfig
  extends Omit<SequenceModelConfig, 'task' | 'outputUnits' | 'cell' | 'units' | 'numClasses'> {
  /** Recurrent layer kind. */
  cell: RecurrentCell;
  /** Units of each recurrent layer: one number for all `layers`, or one per layer. */
  units: number | readonly number[];
  /** Number of classes: softmax over `numClasses` units (see `outputActivation`). */
  numClasses: number;
}

/**
 * Builds a recurrent classifier: `layers` stacked SimpleRNN, LSTM or GRU layers (every layer but
 * the last returns sequences), then a dense softmax over `numClasses`. One plain-JSON config in,
 * an ordinary `tf.Sequential` out, uncompiled unless `compile` is set (then Adam with
 * `categoricalCrossentropy` and accuracy by default, see {@link compileModel}).
 * Every option of {@link SequenceModelConfig} applies (embedding, bidirectional, dropout, ...).
 * @example
 * ```ts
 * import { createRnnClassifier } from '@seqlearn/rnn-models';
 * const model = createRnnClassifier({
 *   cell: 'simpleRNN', units: [32, 64], inputShape: [null, 30], numClasses: 10, seed: 42,
 * });
 * console.log(model.countParams(), model.outputs[0].shape); // 8874 [null, 10]
 * ```
 * @throws {RnnModelsError} `INVALID_CONFIG` naming the field, e.g. `numClasses: expected an integer >= 2, got 1`.
 */
export function createRnnClassifier(config: RnnClassifierConfig): tf.Sequential {
  if (typeof config !== 'object' || config === null) configError('config', 'an object', config);
  if (config.cell === undefined)
    configError('cell', "one of 'simpleRNN', 'lstm', 'gru'", undefined);
  if ('task' in config && (config as SequenceModelConfig).task !== 'classification') {
    configError('task', "'classification' or nothing", (config as SequenceModelConfig).task);
  }
  return createSequenceModel({ ...config, task: 'classification' });
}

/** Config of {@link createRnnRegressor}: a {@link SequenceModelConfig} with a cell. */
export interface RnnRegressorConfig
  extends Omit<SequenceModelConfig, 'task' | 'numClasses' | 'outputActivation' | 'cell' | 'units'> {
  /** Recurrent layer kind. */
  cell: RecurrentCell;
  /** Units of each recurrent layer: one number for all `layers`, or one per layer. */
  units: number | readonly number[];
}

/**
 * Builds a recurrent regressor: stacked SimpleRNN, LSTM or GRU layers and a linear dense output of
 * `outputUnits` (default 1), per sequence or, with `returnSequences`, per step.
 * @example
 * ```ts
 * import { createRnnRegressor } from '@seqlearn/rnn-models';
 * const model = createRnnRegressor({ cell: 'lstm', units: 8, inputShape: [20, 1], seed: 0 });
 * console.log(model.countParams()); // 329
 * ```
 * @throws {RnnModelsError} `INVALID_CONFIG` naming the field that is wrong.
 */
export function createRnnRegressor(config: RnnRegressorConfig): tf.Sequential {
  if (typeof config !== 'object' || config === null) configError('config', 'an object', config);
  if (config.cell === undefined)
    configError('cell', "one of 'simpleRNN', 'lstm', 'gru'", undefined);
  if ('numClasses' in config)
    configError(
      'numClasses',
      'nothing for a regressor',
      (config as SequenceModelConfig).numClasses,
    );
  return createSequenceModel({ ...config, task: 'regression' });
}
