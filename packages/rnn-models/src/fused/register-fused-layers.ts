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
 * Registers, for the Keras classes `LSTM`, `GRU`, `SimpleRNN` and `Conv1D`, classes that build the
 * fused layer where it supports the config and the stock one otherwise; returns the function that
 * puts the stock classes back. `registerFusedLayers` (process-switches.ts) is the public switch.
 */
export function installFusedLayerClasses(): () => void {
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
