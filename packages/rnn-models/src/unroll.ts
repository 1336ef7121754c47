import * as tf from '@tensorflow/tfjs';
import type { CellState, RecurrentCell } from './recurrent-cell';
import { shapeError } from './validate';

/** Options for {@link unroll}. */
export interface UnrollOptions<S extends CellState> {
  /** State before the first step. @default the cell's zero state */
  initialState?: S;
}

/**
 * Runs a cell over every step of a batch of sequences `[batch, steps, inputSize]`: returns the
 * output at every step (`[batch, steps, outputSize]`) and the state after the last step. Works under
 * `tf.grad`/`optimizer.minimize`, which is how the from-scratch cells train.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { LSTMCell, unroll } from '@seqlearn/rnn-models';
 * const cell = new LSTMCell({ inputSize: 2, units: 5, seed: 1 });
 * const { outputs, state } = unroll(cell, tf.ones([3, 7, 2]));
 * console.log(outputs.shape, state.h.shape); // [3, 7, 5] [3, 5]
 * ```
 * @throws {RnnModelsError} `SHAPE_MISMATCH` when `inputs` is not `[batch, steps >= 1, inputSize]`.
 */
export function unroll<S extends CellState>(
  cell: RecurrentCell<S>,
  inputs: tf.Tensor3D,
  { initialState }: UnrollOptions<S> = {},
): { outputs: tf.Tensor3D; state: S } {
  if (
    !(inputs instanceof tf.Tensor) ||
    inputs.rank !== 3 ||
    inputs.shape[2] !== cell.inputSize ||
    inputs.shape[1] < 1
  ) {
    const got = inputs instanceof tf.Tensor ? `[${inputs.shape.join(', ')}]` : typeof inputs;
    shapeError('inputs', `a tensor [batch, steps >= 1, ${cell.inputSize}]`, got);
  }
  return tf.tidy(() => {
    let state = initialState ?? cell.zeroState(inputs.shape[0]);
    const outputs: tf.Tensor2D[] = [];
    for (const x of tf.unstack(inputs, 1) as tf.Tensor2D[]) {
      const step = cell.call(x, state);
      outputs.push(step.output);
      state = step.state;
    }
    return {
      outputs: tf.stack(outputs, 1) as tf.Tensor3D,
      state,
    } as unknown as tf.TensorContainerObject;
  }) as unknown as { outputs: tf.Tensor3D; state: S };
}
