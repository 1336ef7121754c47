import * as tf from '@tensorflow/tfjs';
import { CellBase, type CellOptions } from './recurrent-cell';

/** State of an {@link LSTMCell}. */
export interface LSTMState {
  h: tf.Tensor2D;
  c: tf.Tensor2D;
}

/**
 * The LSTM cell from tf ops, with Keras' gate order i, f, c, o in one kernel: with
 * `z = x·W + h·U + b` split in four, `i = σ(z_i)`, `f = σ(z_f)`, `g = tanh(z_c)`, `o = σ(z_o)`,
 * `c' = f ⊙ c + i ⊙ g`, `h' = o ⊙ tanh(c')`. The forget-gate bias starts at 1 (Keras
 * `unit_forget_bias`), and the weights are laid out as a tfjs `LSTM` layer's, so
 * `setWeights(layer.getWeights())` reproduces the layer.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { LSTMCell } from '@seqlearn/rnn-models';
 * const cell = new LSTMCell({ inputSize: 3, units: 4, seed: 0 });
 * const { output, state } = cell.call(tf.ones([2, 3]), cell.zeroState(2));
 * console.log(output.shape, state.c.shape); // [2, 4] [2, 4]
 * ```
 * @throws {RnnModelsError} `INVALID_ARGUMENT` when `inputSize`, `units` or `outputSize` is not a positive integer.
 */
export class LSTMCell extends CellBase<LSTMState> {
  constructor(options: CellOptions) {
    const u = options.units;
    super(
      'lstm_cell',
      4,
      options,
      Array.from({ length: 4 * u }, (_, i) => (i >= u && i < 2 * u ? 1 : 0)),
    );
  }

  zeroState(batch: number): LSTMState {
    return { h: tf.zeros([batch, this.units]), c: tf.zeros([batch, this.units]) };
  }

  call(input: tf.Tensor2D, state: LSTMState): { output: tf.Tensor2D; state: LSTMState } {
    return tf.tidy(() => {
      const z = tf.add(
        tf.add(tf.matMul(input, this.kernel), tf.matMul(state.h, this.recurrentKernel)),
        this.bias,
      );
      const [zi, zf, zc, zo] = tf.split(z, 4, 1) as tf.Tensor2D[];
      const c = tf.add(
        tf.mul(tf.sigmoid(zf), state.c),
        tf.mul(tf.sigmoid(zi), tf.tanh(zc)),
      ) as tf.Tensor2D;
      const h = tf.mul(tf.sigmoid(zo), tf.tanh(c)) as tf.Tensor2D;
      return { output: this.project(h), state: { h, c } };
    });
  }
}
