import {
  isTextClassifierConfig,
  type TextClassifierConfig,
  textClassifierToSequenceConfig,
} from './create-text-classifier';
import type { SequenceModelConfig } from './model-config';
import { planModel } from './plan-model';

/** A config's parameter counts, layer by layer and in all. */
export interface ParamCount {
  /** Trainable parameters (what {@link countParams} returns). */
  trainable: number;
  /** Frozen parameters (a frozen pretrained embedding, the one-hot embedding of char models). */
  nonTrainable: number;
  /** One entry per layer, in order. */
  layers: { kind: string; params: number; trainable: boolean; outputShape: (number | null)[] }[];
}

/**
 * Counts the trainable parameters of the model a config describes, without building it (no
 * tensors, no backend). Per layer: SimpleRNN `u·(d+u)+u`, LSTM 4× and GRU 3× that (tfjs GRU,
 * Keras `reset_after=False`; with `resetAfter`, GRU `3·(u·(d+u)+2u)`), doubled when bidirectional;
 * Conv1D `k·d·f+f`; Dense `d·n+n`; Embedding `V·e` (not counted when frozen). Fused and stock
 * layers have the same parameters.
 * @example
 * ```ts
 * import { countParams } from '@seqlearn/rnn-models';
 * // Two SimpleRNN layers of 32 and 64 units on inputs of dimension 30, then 10 classes:
 * console.log(countParams({ cell: 'simpleRNN', units: [32, 64], inputShape: [null, 30], numClasses: 10 }));
 * // 8874 = (30·32 + 32·32 + 32) + (32·64 + 64·64 + 64) + (64·10 + 10) = 2016 + 6208 + 650
 * console.log(countParams({ cell: 'lstm', units: [32, 64], inputShape: [null, 30], numClasses: 10 }));
 * // 33546 = 4·2016 + 4·6208 + 650
 * ```
 * @throws {RnnModelsError} `INVALID_CONFIG` as the factories do for the same config.
 */
export function countParams(config: SequenceModelConfig | TextClassifierConfig): number {
  return countParamsByLayer(config).trainable;
}

/**
 * {@link countParams} with the detail: trainable and frozen totals and every layer's count and
 * output shape.
 * @example
 * ```ts
 * import { countParamsByLayer } from '@seqlearn/rnn-models';
 * const { layers } = countParamsByLayer({ cell: 'gru', units: 8, inputShape: [10, 4], numClasses: 3 });
 * console.log(layers.map((l) => l.params)); // [312, 27]
 * ```
 */
export function countParamsByLayer(config: SequenceModelConfig | TextClassifierConfig): ParamCount {
  const sequenceConfig = isTextClassifierConfig(config)
    ? textClassifierToSequenceConfig(config)
    : config;
  const plan = planModel(sequenceConfig);
  let trainable = 0;
  let nonTrainable = 0;
  for (const layer of plan.layers) {
    if (layer.trainable) trainable += layer.params;
    else nonTrainable += layer.params;
  }
  return {
    trainable,
    nonTrainable,
    layers: plan.layers.map(({ kind, params, trainable: t, outputShape }) => ({
      kind,
      params,
      trainable: t,
      outputShape,
    })),
  };
}
