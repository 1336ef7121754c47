import * as tf from '@tensorflow/tfjs';
import { RnnModelsError } from './errors';
import { FusedConv1D, unsupportedConv1DOptions } from './fused/fused-conv1d';
import { FusedRecurrent, unsupportedFusedOptions } from './fused/fused-recurrent';
import { installFusedLayerClasses } from './fused/register-fused-layers';

/**
 * Which recurrent layers the factories build: `'fused'` ({@link FusedLSTM}, {@link FusedGRU},
 * {@link FusedSimpleRNN}), `'stock'` (`tf.layers.lstm`, `gru`, `simpleRNN`), or `'auto'`: fused
 * where the options asked for allow it, stock otherwise. `Conv1D` layers follow `'auto'` for
 * `'fused'` too ({@link FusedConv1D} where the kernel runs their options).
 */
export type LayerImplementation = 'auto' | 'fused' | 'stock';

/** What a factory built for one recurrent layer, and why stock when it is. */
export interface ImplementationChoice {
  fused: boolean;
  /** Why the stock layer was built: the option the fused layers lack, or `layerImplementation: 'stock'`. */
  reason?: string;
}

const STOCK_CLASSES = ['LSTM', 'GRU', 'SimpleRNN'] as const;
const STOCK_RECURRENT = new Set<string>(STOCK_CLASSES);

/** Why each stock recurrent layer a factory built is stock (read by `describeModel`). */
const stockReasons = new WeakMap<tf.layers.Layer, string>();

/**
 * Picks the implementation of one recurrent layer from its `tf.layers.*` arguments.
 * @throws {RnnModelsError} `INVALID_CONFIG` naming the first option the fused layers lack when
 * `requested` is `'fused'`, or when `needsFused` (an option only they have, such as `resetAfter`)
 * is set and they cannot be used.
 */
export function chooseImplementation(
  args: Record<string, unknown>,
  requested: LayerImplementation,
  needsFused?: string,
): ImplementationChoice {
  if (requested === 'stock') {
    if (needsFused) {
      throw new RnnModelsError({
        code: 'INVALID_CONFIG',
        argument: needsFused,
        message: `${needsFused}: expected false or unset with layerImplementation 'stock' (only the fused layers have it), got true`,
      });
    }
    return { fused: false, reason: "layerImplementation: 'stock'" };
  }
  const bad = unsupportedFusedOptions(args);
  if (bad.length === 0) return { fused: true };
  if (requested === 'fused' || needsFused) {
    const why = requested === 'fused' ? "layerImplementation 'fused'" : needsFused;
    throw new RnnModelsError({
      code: 'INVALID_CONFIG',
      argument: bad[0],
      message: `${bad[0]}: the fused recurrent layers do not support ${bad.join(', ')} (${show(args, bad[0])}), which ${why} needs; use layerImplementation 'auto' or 'stock'${needsFused ? ` without ${needsFused}` : ''}`,
    });
  }
  return { fused: false, reason: bad.join(', ') };
}

function show(args: Record<string, unknown>, key: string): string {
  const value = args[key];
  return `got ${key}: ${typeof value === 'string' ? `'${value}'` : String(value)}`;
}

/**
 * Picks the implementation of one Conv1D layer from its `tf.layers.conv1d` arguments: fused
 * ({@link FusedConv1D}) unless `requested` is `'stock'` or the kernel lacks an option (strides or
 * dilation other than 1, `'causal'` padding, activations other than `'linear'` and `'relu'`).
 * Never throws: `layerImplementation: 'fused'` is about the recurrent layers, and a Conv1D the
 * kernel cannot run stays stock.
 */
export function chooseConv1DImplementation(
  args: object,
  requested: LayerImplementation,
): ImplementationChoice {
  if (requested === 'stock') return { fused: false, reason: "layerImplementation: 'stock'" };
  const bad = unsupportedConv1DOptions(args);
  return bad.length === 0 ? { fused: true } : { fused: false, reason: bad.join(', ') };
}

/** Which implementation a Conv1D layer is; `undefined` for a layer that is not a Conv1D. */
export function conv1DImplementation(layer: tf.layers.Layer): ImplementationChoice | undefined {
  if (layer instanceof FusedConv1D) {
    const bad = unsupportedConv1DOptions(layer.getConfig());
    return bad.length === 0 ? { fused: true } : { fused: false, reason: bad.join(', ') };
  }
  if (layer.getClassName() !== 'Conv1D') return undefined;
  const noted = stockReasons.get(layer);
  if (noted) return { fused: false, reason: noted };
  const bad = unsupportedConv1DOptions(layer.getConfig());
  return { fused: false, reason: bad.length > 0 ? bad.join(', ') : undefined };
}

/** Records why a factory built a stock recurrent layer (or a wrapper of one). */
export function noteStockReason(layer: tf.layers.Layer, reason: string): void {
  stockReasons.set(layer, reason);
}

/**
 * Which implementation a recurrent layer (or a `Bidirectional` of one) is; `undefined` for a
 * layer that is not recurrent.
 */
export function recurrentImplementation(layer: tf.layers.Layer): ImplementationChoice | undefined {
  const wrapper = layer as unknown as { forwardLayer?: tf.layers.Layer; layer?: tf.layers.Layer };
  const inner = wrapper.forwardLayer ?? wrapper.layer ?? layer;
  if (inner instanceof FusedRecurrent) return { fused: true };
  if (!STOCK_RECURRENT.has(inner.getClassName())) return undefined;
  const noted = stockReasons.get(layer);
  if (noted) return { fused: false, reason: noted };
  const bad = unsupportedFusedOptions(inner.getConfig() as Record<string, unknown>);
  return { fused: false, reason: bad.length > 0 ? bad.join(', ') : undefined };
}

type Registration = [unknown, unknown];
type SerializableClass = Parameters<typeof tf.serialization.registerClass>[0];

/**
 * Runs `fn` with the fused layers (`fused: true`, see `registerFusedLayers`) or the stock
 * tfjs-layers classes registered for the Keras classes `LSTM`, `GRU` and `SimpleRNN`, then puts
 * back exactly what was registered before, so a caller's own `registerFusedLayers()` stays in
 * force. Deserialisation (`tf.loadLayersModel`, `tf.layers.bidirectional`) reads the registry.
 */
export function withLayerClasses<T>(fused: boolean, fn: () => T): T {
  const restore = swapIn(fused);
  try {
    return fn();
  } finally {
    restore();
  }
}

/** {@link withLayerClasses} for an async `fn`: the registry stays swapped until it settles. */
export async function withLayerClassesAsync<T>(fused: boolean, fn: () => Promise<T>): Promise<T> {
  const restore = swapIn(fused);
  try {
    return await fn();
  } finally {
    restore();
  }
}

let stockClasses: SerializableClass[] | undefined;

function swapIn(fused: boolean): () => void {
  const map = tf.serialization.SerializationMap.getMap().classNameMap as unknown as Record<
    string,
    Registration | undefined
  >;
  const names = [...STOCK_CLASSES, 'Conv1D'];
  const before = names.map((name) => map[name]);
  if (fused) installFusedLayerClasses();
  else {
    stockClasses ??= [
      ...[tf.layers.lstm, tf.layers.gru, tf.layers.simpleRNN].map(
        // a name of its own, so that no generated layer name (lstm_LSTM1, ...) is used up
        (make) =>
          make({ units: 1, name: 'seqlearn_stock_class_lookup' }).constructor as SerializableClass,
      ),
      tf.layers.conv1d({ filters: 1, kernelSize: 1, name: 'seqlearn_stock_class_lookup' })
        .constructor as SerializableClass,
    ];
    for (const cls of stockClasses) tf.serialization.registerClass(cls);
  }
  return () => {
    names.forEach((name, i) => {
      const previous = before[i];
      if (previous) map[name] = previous;
      else delete map[name];
    });
  };
}
