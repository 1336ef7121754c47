import * as tf from '@tensorflow/tfjs';
import { FusedConv1D } from './fused-conv1d';
import { FusedGRU } from './fused-gru';
import { FusedLSTM } from './fused-lstm';
import { FusedSimpleRNN } from './fused-simple-rnn';

type SerializableClass = Parameters<typeof tf.serialization.registerClass>[0];

const STOCK: Record<string, () => SerializableClass> = {
  LSTM: () => tf.layers.lstm({ units: 1 }).constructor as SerializableClass,
  GRU: () => tf.layers.gru({ units: 1 }).constructor as SerializableClass,
  SimpleRNN: () => tf.layers.simpleRNN({ units: 1 }).constructor as SerializableClass,
  Conv1D: () =>
    tf.layers.conv1d({ filters: 1, kernelSize: 1, name: 'seqlearn_stock_class_lookup' })
      .constructor as SerializableClass,
};

/**
 * Makes `tf.loadLayersModel` (and `tf.layers.bidirectional`, which copies its layer through the
 * registry) build {@link FusedLSTM}, {@link FusedGRU}, {@link FusedSimpleRNN} and
 * {@link FusedConv1D} for the Keras classes `LSTM`, `GRU`, `SimpleRNN` and `Conv1D`, so a saved
 * model loads with fused layers, including a GRU with `resetAfter: true` that stock tfjs refuses.
 * Configs the fused layers do not support (see `FusedLSTM.supportsConfig`,
 * `FusedConv1D.supportsConfig`) still build the stock layer. Nothing is registered until this
 * is called; call the returned function to restore the stock classes.
 * @example
 * ```ts
 * import { registerFusedLayers } from '@seqlearn/rnn-models';
 * const unregister = registerFusedLayers();
 * // ... tf.loadLayersModel(...) now builds fused layers
 * unregister();
 * ```
 */
export function registerFusedLayers(): () => void {
  const stock = Object.fromEntries(Object.entries(STOCK).map(([name, get]) => [name, get()]));
  const pairs: [string, { supportsConfig(c: Record<string, unknown>): boolean }][] = [
    ['LSTM', FusedLSTM],
    ['GRU', FusedGRU],
    ['SimpleRNN', FusedSimpleRNN],
    ['Conv1D', FusedConv1D],
  ];
  for (const [name, fused] of pairs) {
    const stockClass = stock[name] as unknown as {
      fromConfig(cls: unknown, config: Record<string, unknown>): unknown;
    };
    // A class whose fromConfig picks the fused layer where it can and the stock one otherwise.
    // biome-ignore lint/complexity/noStaticOnlyClass: the registry takes a class with static members
    class Chooser {
      static className = name;
      static fromConfig(_cls: unknown, config: Record<string, unknown>): unknown {
        if (fused.supportsConfig(config)) {
          return new (fused as unknown as new (c: Record<string, unknown>) => unknown)(config);
        }
        return stockClass.fromConfig(stockClass, config);
      }
    }
    tf.serialization.registerClass(Chooser as unknown as SerializableClass);
  }
  return () => {
    for (const cls of Object.values(stock)) tf.serialization.registerClass(cls);
  };
}
