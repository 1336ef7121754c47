import * as tf from '@tensorflow/tfjs';
import {
  FusedRecurrent,
  type FusedRecurrentArgs,
  unsupportedFusedOptions,
} from './fused-recurrent';

/**
 * An LSTM layer that computes the input projection of all steps in one matrix product and runs
 * the time loop, forward and backward, as one fused computation (a WebAssembly SIMD kernel on
 * the `wasm` and `cpu` backends, tf ops elsewhere). It is a tfjs-layers `Layer`: it trains with
 * `model.fit` and serialises as Keras' `LSTM` (kernel [features, 4·units] with gates i, f, c, o,
 * recurrent kernel, bias), so a saved model loads in stock tfjs. Same options and defaults as
 * `tf.layers.lstm`, except `recurrentActivation`, which defaults to Keras' 'sigmoid'.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { FusedLSTM } from '@seqlearn/rnn-models';
 * const model = tf.sequential();
 * model.add(new FusedLSTM({ units: 8, inputShape: [5, 3] }));
 * console.log(model.predict(tf.ones([2, 5, 3])).shape); // [2, 8]
 * ```
 */
export class FusedLSTM extends FusedRecurrent {
  /** Serialised as Keras' LSTM. */
  static className = 'LSTM';
  protected readonly cellKind = 'lstm' as const;

  constructor(args: FusedRecurrentArgs) {
    super(args, (a) => tf.layers.lstm(a as unknown as Parameters<typeof tf.layers.lstm>[0]));
  }

  /** Whether a FusedLSTM can take this `tf.layers.lstm` config (else use the stock layer). */
  static supportsConfig(config: Record<string, unknown>): boolean {
    return unsupportedFusedOptions(config).length === 0;
  }
}
