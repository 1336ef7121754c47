import * as tf from '@tensorflow/tfjs';
import {
  FusedRecurrent,
  type FusedRecurrentArgs,
  unsupportedFusedOptions,
} from './fused-recurrent';

/**
 * A GRU layer with a fused time loop (see {@link FusedLSTM}), gates z, r, h in Keras' order.
 * With `resetAfter: true` it computes Keras 2's and PyTorch's formulation,
 * n = tanh(x·W_h + b_h + r ⊙ (h·U_h + b_rh)), with a bias of shape [2, 3·units] (input and
 * recurrent), which stock tfjs refuses; with `false` (the default, as in tfjs) the Keras 1 form.
 * Serialises as Keras' `GRU`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { FusedGRU } from '@seqlearn/rnn-models';
 * const layer = new FusedGRU({ units: 4, resetAfter: true, returnSequences: true });
 * console.log(layer.apply(tf.ones([2, 5, 3])).shape); // [2, 5, 4]
 * ```
 */
export class FusedGRU extends FusedRecurrent {
  /** Serialised as Keras' GRU. */
  static className = 'GRU';
  protected readonly cellKind = 'gru' as const;

  constructor(args: FusedRecurrentArgs) {
    super(args, (a) => tf.layers.gru(a as unknown as Parameters<typeof tf.layers.gru>[0]));
  }

  /** Whether a FusedGRU can take this `tf.layers.gru` config (else use the stock layer). */
  static supportsConfig(config: Record<string, unknown>): boolean {
    return unsupportedFusedOptions(config).length === 0;
  }
}
