import * as tf from '@tensorflow/tfjs';
import { CellBase, type CellOptions } from './recurrent-cell';

/**
 * The Elman cell from tf ops, as TensorFlow's `BasicRNNCell`: `h' = tanh(x·W + h·U + b)`. The output
 * is `h'` (or its projection when `outputSize` is set). Weights are tf variables, so any tfjs
 * optimizer trains it: `optimizer.minimize(loss, false, cell.trainableWeights)`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { BasicRNNCell } from '@seqlearn/rnn-models';
 * const cell = new BasicRNNCell({ inputSize: 3, units: 4, seed: 0 });
 * const { output, state } = cell.call(tf.ones([2, 3]), cell.zeroState(2));
 * console.log(output.shape, state.h.shape); // [2, 4] [2, 4]
 * ```
 * @throws {RnnModelsError} `INVALID_ARGUMENT` when `inputSize`, `units` or `outputSize` is not a positive integer.
 */
export class BasicRNNCell extends CellBase<{ h: tf.Tensor2D }> {
  constructor(options: CellOptions) {
    super('basic_rnn_cell', 1, options, new Array(options.units).fill(0));
  }

  zeroState(batch: number): { h: tf.Tensor2D } {
    return { h: tf.zeros([batch, this.units]) };
  }

  call(
    input: tf.Tensor2D,
    state: { h: tf.Tensor2D },
  ): { output: tf.Tensor2D; state: { h: tf.Tensor2D } } {
    return tf.tidy(() => {
      const h = tf.tanh(
        tf.add(
          tf.add(tf.matMul(input, this.kernel), tf.matMul(state.h, this.recurrentKernel)),
          this.bias,
        ),
      ) as tf.Tensor2D;
      return { output: this.project(h), state: { h } };
    });
  }
}
