import * as tf from '@tensorflow/tfjs';
import {
  FusedRecurrent,
  type FusedRecurrentArgs,
  unsupportedFusedOptions,
} from './fused-recurrent';

/**
 * A SimpleRNN layer, h = activation(x·W + h·U + b), with a fused time loop (see
 * {@link FusedLSTM}). Serialises as Keras' `SimpleRNN`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { FusedSimpleRNN } from '@seqlearn/rnn-models';
 * const layer = new FusedSimpleRNN({ units: 4 });
 * console.log(layer.apply(tf.ones([2, 5, 3])).shape); // [2, 4]
 * ```
 */
export class FusedSimpleRNN extends FusedRecurrent {
  /** Serialised as Keras' SimpleRNN. */
  static className = 'SimpleRNN';
  protected readonly cellKind = 'simpleRNN' as const;

  constructor(args: FusedRecurrentArgs) {
    super(args, (a) =>
      tf.layers.simpleRNN(a as unknown as Parameters<typeof tf.layers.simpleRNN>[0]),
    );
  }

  /** Whether a FusedSimpleRNN can take this `tf.layers.simpleRNN` config (else use the stock layer). */
  static supportsConfig(config: Record<string, unknown>): boolean {
    return unsupportedFusedOptions(config).length === 0;
  }
}
