import * as tf from '@tensorflow/tfjs';
import { compileModel } from './compile-model';
import { fastOrthogonal } from './fast-orthogonal';
import { FusedConv1D, type FusedConv1DArgs } from './fused/fused-conv1d';
import { FusedGRU } from './fused/fused-gru';
import { FusedLSTM } from './fused/fused-lstm';
import type { FusedRecurrentArgs } from './fused/fused-recurrent';
import { FusedSimpleRNN } from './fused/fused-simple-rnn';
import {
  chooseConv1DImplementation,
  chooseImplementation,
  noteStockReason,
  withLayerClasses,
} from './layer-implementation';
import type { RecurrentCell, RegularizerConfig, SequenceModelConfig } from './model-config';
import { type PlannedLayer, planModel } from './plan-model';

type Initializer = ReturnType<typeof tf.initializers.glorotUniform>;
type Regularizer = ReturnType<typeof tf.regularizers.l1l2>;

/** Seeded initializers: each call takes the next seed, so layers differ but runs repeat. */
function initializerFactory(seed: number | undefined) {
  let next = seed;
  const take = () => {
    if (next === undefined) return undefined;
    const s = next;
    next += 1;
    return s;
  };
  return {
    glorotUniform: (): Initializer => tf.initializers.glorotUniform({ seed: take() }),
    orthogonal: (): Initializer => fastOrthogonal(take()),
    embedding: (): Initializer =>
      tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: take() }),
  };
}

function regularizer(config: RegularizerConfig | undefined): Regularizer | undefined {
  if (!config || (config.l1 === 0 && config.l2 === 0)) return undefined;
  return tf.regularizers.l1l2({ l1: config.l1 ?? 0, l2: config.l2 ?? 0 });
}

/**
 * Builds a `tf.Sequential` from a {@link SequenceModelConfig}: optional `Embedding`, `Conv1D` blocks,
 * stacked (bidirectional) recurrent layers with `returnSequences` set for stacking, an optional
 * `RepeatVector` decoder, dense layers and the output layer. Recurrent layers follow Keras 2 and
 * PyTorch: `recurrentActivation: 'sigmoid'` (tfjs defaults to `'hardSigmoid'`) and, for LSTM,
 * `unitForgetBias: true`. GRU layers are tfjs' (no `reset_after`) unless `resetAfter` is set, so a
 * GRU layer has `3 · (units · (inputDim + units) + units)` parameters (`+ 3 · units` with
 * `resetAfter`).
 *
 * Recurrent layers are the fused ones ({@link FusedLSTM}, {@link FusedGRU},
 * {@link FusedSimpleRNN}) where the options allow and the stock tfjs layers otherwise (`dropout`,
 * `recurrentDropout`, `stateful`); `layerImplementation` forces either, and {@link describeModel}
 * says which each layer is. `Conv1D` layers are {@link FusedConv1D} (convolution, bias and relu in
 * one kernel each way) unless `layerImplementation` is `'stock'` or the kernel lacks an option
 * (strides or dilation other than 1, activations other than `'linear'` and `'relu'`). All save as
 * Keras' classes and start from the same weights for the same `seed`.
 *
 * The model is returned uncompiled unless `config.compile` is set; see {@link compileModel}.
 * @example
 * ```ts
 * import { createSequenceModel } from '@seqlearn/rnn-models';
 * const model = createSequenceModel({
 *   inputShape: [50, 1], conv: [{ filters: 8, kernelSize: 3, pool: { size: 2 } }],
 *   cell: 'lstm', units: 16, task: 'regression', seed: 1,
 * });
 * console.log(model.outputs[0].shape, model.countParams()); // [null, 1] 1649
 * ```
 * @throws {RnnModelsError} `INVALID_CONFIG` naming the first field that is wrong, or the option
 * the fused layers lack with `layerImplementation: 'fused'` or `resetAfter`.
 */
export function createSequenceModel(config: SequenceModelConfig): tf.Sequential {
  const plan = planModel(config);
  const init = initializerFactory(config.seed);
  const kernelRegularizer = regularizer(plan.kernelRegularizer);
  const recurrentRegularizer = regularizer(plan.recurrentRegularizer);
  const biasRegularizer = regularizer(plan.biasRegularizer);
  const model = tf.sequential(config.name ? { name: config.name } : undefined);
  const track = (t: tf.Tensor) => {
    initialTensors.push(t);
    return t;
  };
  let first = true;
  const inputArgs = () => {
    if (!first) return {};
    first = false;
    return plan.batchSize !== undefined
      ? { batchInputShape: [plan.batchSize, ...plan.inputShape] }
      : { inputShape: plan.inputShape };
  };

  const recurrentLayer = (step: Extract<PlannedLayer, { kind: 'recurrent' }>, input: object) => {
    const common = {
      units: step.units,
      returnSequences: step.returnSequences,
      kernelInitializer: init.glorotUniform(),
      recurrentInitializer: init.orthogonal(),
      biasInitializer: 'zeros' as const,
      kernelRegularizer,
      recurrentRegularizer,
      biasRegularizer,
      dropout: plan.dropout,
      recurrentDropout: plan.recurrentDropout,
      stateful: plan.stateful,
      ...input,
    };
    const args =
      step.cell === 'simpleRNN'
        ? { ...common, activation: plan.activation as 'tanh' }
        : step.cell === 'lstm'
          ? { ...common, recurrentActivation: 'sigmoid' as const, unitForgetBias: true }
          : {
              ...common,
              recurrentActivation: 'sigmoid' as const,
              ...(step.resetAfter ? { resetAfter: true } : {}),
            };
    const choice = chooseImplementation(
      args,
      plan.layerImplementation,
      step.resetAfter ? 'resetAfter' : undefined,
    );
    const layer = choice.fused ? fusedLayer(step.cell, args) : stockLayer(step.cell, args);
    return { layer, choice };
  };

  const bidirectionalLayers: tf.layers.Layer[] = [];
  const initialTensors: tf.Tensor[] = [];
  for (const step of plan.layers) {
    switch (step.kind) {
      case 'embedding':
        model.add(
          tf.layers.embedding({
            inputDim: step.inputDim,
            outputDim: step.outputDim,
            maskZero: step.maskZero,
            embeddingsInitializer: init.embedding(),
            trainable: step.trainable,
            weights: step.weights
              ? [track(tf.tensor2d(step.weights, [step.inputDim, step.outputDim]))]
              : undefined,
            ...inputArgs(),
          }),
        );
        break;
      case 'conv1d': {
        const args: FusedConv1DArgs = {
          filters: step.filters,
          kernelSize: step.kernelSize,
          strides: step.strides,
          padding: step.padding,
          activation: step.activation as 'relu',
          kernelInitializer: init.glorotUniform(),
          kernelRegularizer,
          biasRegularizer,
          ...inputArgs(),
        };
        const choice = chooseConv1DImplementation(args, plan.layerImplementation);
        const layer = choice.fused ? new FusedConv1D(args) : tf.layers.conv1d(args);
        if (choice.reason) noteStockReason(layer, choice.reason);
        model.add(layer);
        break;
      }
      case 'pool': {
        const args = { poolSize: step.size, strides: step.strides, padding: step.padding };
        model.add(
          step.type === 'max' ? tf.layers.maxPooling1d(args) : tf.layers.averagePooling1d(args),
        );
        break;
      }
      case 'recurrent':
        if (step.bidirectional) {
          const { layer: inner, choice } = recurrentLayer(step, {});
          const wrap = () =>
            tf.layers.bidirectional({
              layer: inner as unknown as tf.RNN,
              mergeMode: step.mergeMode,
              ...inputArgs(),
            });
          // Bidirectional copies its layer through the class registry: fused in, fused out.
          const layer = withLayerClasses(choice.fused, wrap);
          if (choice.reason) noteStockReason(layer, choice.reason);
          bidirectionalLayers.push(layer);
          model.add(layer);
        } else {
          const { layer, choice } = recurrentLayer(step, inputArgs());
          if (choice.reason) noteStockReason(layer, choice.reason);
          model.add(layer);
        }
        break;
      case 'repeatVector':
        model.add(tf.layers.repeatVector({ n: step.n }));
        break;
      case 'flatten':
        model.add(tf.layers.flatten(inputArgs()));
        break;
      case 'globalPool':
        model.add(
          step.type === 'max'
            ? tf.layers.globalMaxPooling1d(inputArgs())
            : tf.layers.globalAveragePooling1d(inputArgs()),
        );
        break;
      case 'dropout':
        model.add(tf.layers.dropout({ rate: step.rate }));
        break;
      case 'dense': {
        const isOutput = step === plan.layers[plan.layers.length - 1];
        const dense = tf.layers.dense({
          units: step.units,
          activation: step.activation as 'relu',
          kernelInitializer: init.glorotUniform(),
          kernelRegularizer: isOutput ? undefined : kernelRegularizer,
          biasRegularizer: isOutput ? undefined : biasRegularizer,
          ...(step.timeDistributed ? {} : inputArgs()),
        });
        model.add(
          step.timeDistributed
            ? tf.layers.timeDistributed({ layer: dense, ...inputArgs() })
            : dense,
        );
        break;
      }
    }
  }

  // The layers copied their initial weights into variables when they were built.
  tf.dispose(initialTensors);
  // tfjs' Bidirectional copies the wrapped layer's config, seeds included, so both directions
  // would start from the same weights: give the backward direction its own seeded draw.
  if (config.seed !== undefined) {
    for (const layer of bidirectionalLayers) reseedBackward(layer, init);
  }
  forwardCellLosses(model);
  if (config.compile) compileModel(model, config.compile === true ? {} : config.compile);
  return model;
}

type RecurrentArgs = Record<string, unknown> & { units: number };

function fusedLayer(cell: RecurrentCell, args: RecurrentArgs): tf.layers.Layer {
  const a = args as FusedRecurrentArgs;
  if (cell === 'lstm') return new FusedLSTM(a);
  return cell === 'gru' ? new FusedGRU(a) : new FusedSimpleRNN(a);
}

function stockLayer(cell: RecurrentCell, args: RecurrentArgs): tf.layers.Layer {
  type Args = Parameters<typeof tf.layers.lstm>[0];
  const a = args as unknown as Args;
  if (cell === 'lstm') return tf.layers.lstm(a);
  return cell === 'gru' ? tf.layers.gru(a) : tf.layers.simpleRNN(a);
}

function reseedBackward(layer: tf.layers.Layer, init: ReturnType<typeof initializerFactory>): void {
  const weights = layer.getWeights();
  const half = weights.length / 2;
  const names = layer.weights.map((w) => w.originalName ?? w.name);
  const fresh = weights.map((w, i) => {
    if (i < half) return w;
    const name = names[i];
    if (/recurrent_kernel/.test(name)) return init.orthogonal().apply(w.shape);
    if (/kernel/.test(name)) return init.glorotUniform().apply(w.shape);
    return w;
  });
  layer.setWeights(fresh);
  // getWeights() hands out the variables' own tensors: dispose only the fresh draws.
  for (const t of fresh) if (!weights.includes(t)) t.dispose();
}

type RegularizerFn = () => tf.Scalar;
interface WithCell {
  cell?: { losses: RegularizerFn[] };
  losses: RegularizerFn[];
  forwardLayer?: WithCell;
  backwardLayer?: WithCell;
}

/**
 * tfjs' RNN layers keep their regularizer penalties on the inner cell, where neither `model.fit`
 * nor `calculateLosses` sees them, so `kernelRegularizer` and friends on a recurrent layer would
 * do nothing: hand the cell's penalties to the layer the model knows. A fused layer keeps its
 * penalties itself, which the model sees, except inside `Bidirectional`, whose copies it holds.
 */
function forwardCellLosses(model: tf.Sequential): void {
  for (const layer of model.layers) {
    const l = layer as unknown as WithCell;
    const holders = [l.cell, l.forwardLayer?.cell, l.backwardLayer?.cell];
    for (const inner of [l.forwardLayer, l.backwardLayer]) {
      if (inner && !inner.cell) holders.push(inner);
    }
    for (const c of holders) {
      if (c && c.losses.length > 0) layer.addLoss(c.losses);
    }
  }
}
