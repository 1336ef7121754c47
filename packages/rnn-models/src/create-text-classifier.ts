import type * as tf from '@tensorflow/tfjs';
import { createSequenceModel } from './create-sequence-model';
import type { LayerImplementation } from './layer-implementation';
import type { CompileOptions, SequenceModelConfig } from './model-config';
import { checkOneOf, checkPositiveInt, configError } from './validate';

/**
 * Config of {@link createTextClassifier}: the four text classifiers of the Wikipedia (DBpedia)
 * exercise. Every model takes integer ids `[maxLength]`: characters are one-hot encoded by a
 * frozen identity `Embedding` (no trainable parameters), words by a learned `Embedding`.
 */
export interface TextClassifierConfig {
  /** 'charCnn' | 'wordCnn' (two Conv1D + max-pool blocks, global max, dense) or 'charGru' | 'wordGru'. */
  kind: 'charCnn' | 'wordCnn' | 'charGru' | 'wordGru';
  /** Number of distinct ids: the alphabet size for characters (256 for bytes), the vocabulary for words. */
  vocabSize: number;
  /** Steps per document (ids padded or cut to this length). */
  maxLength: number;
  /** Number of classes (softmax output). */
  numClasses: number;
  /** Word vector size of the word models. @default 20 */
  embeddingDim?: number;
  /** Filters of each convolution. @default 10 */
  filters?: number;
  /** Window of each convolution. @default 20 */
  kernelSize?: number;
  /** Max-pooling window after each convolution. @default 4 */
  poolSize?: number;
  /** Max-pooling stride (padding 'same'). @default 2 */
  poolStrides?: number;
  /** GRU units per layer. @default 20 */
  units?: number;
  /** Number of GRU layers (1 or 2). @default 1 */
  layers?: 1 | 2;
  /** Rate of a Dropout layer before the output layer. @default 0 */
  dropout?: number;
  /** Seed of every initializer. @default random */
  seed?: number;
  /** Fused or stock GRU layers; see {@link SequenceModelConfig.layerImplementation}. @default 'auto' */
  layerImplementation?: LayerImplementation;
  /** Compile right away. @default false */
  compile?: boolean | CompileOptions;
}

/** Translates a {@link TextClassifierConfig} into the {@link SequenceModelConfig} it stands for. */
export function textClassifierToSequenceConfig(config: TextClassifierConfig): SequenceModelConfig {
  if (typeof config !== 'object' || config === null) configError('config', 'an object', config);
  const kind = checkOneOf(config.kind, ['charCnn', 'wordCnn', 'charGru', 'wordGru'], 'kind');
  const vocabSize = checkPositiveInt(config.vocabSize, 'vocabSize');
  const maxLength = checkPositiveInt(config.maxLength, 'maxLength');
  const {
    embeddingDim = 20,
    filters = 10,
    kernelSize = 20,
    poolSize = 4,
    poolStrides = 2,
    units = 20,
    layers = 1,
    dropout = 0,
  } = config;
  if (layers !== 1 && layers !== 2) configError('layers', '1 or 2', layers);
  const isChar = kind.startsWith('char');
  const embedding = isChar
    ? {
        inputDim: vocabSize,
        outputDim: vocabSize,
        weights: identity(vocabSize),
        trainable: false,
      }
    : { inputDim: vocabSize, outputDim: checkPositiveInt(embeddingDim, 'embeddingDim') };
  const base = {
    inputShape: [maxLength],
    embedding,
    numClasses: config.numClasses,
    task: 'classification' as const,
    outputDropout: dropout,
    seed: config.seed,
    compile: config.compile,
    layerImplementation: config.layerImplementation,
    name: kind,
  };
  if (kind.endsWith('Cnn')) {
    const pool = { size: poolSize, strides: poolStrides, padding: 'same' as const };
    const block = {
      filters,
      kernelSize,
      padding: 'valid' as const,
      activation: 'relu' as const,
      pool,
    };
    return { ...base, conv: [block, block], pooling: 'globalMax' };
  }
  return { ...base, cell: 'gru', units, layers };
}

function identity(n: number): number[][] {
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)),
  );
}

/**
 * Builds one of the text classifiers of the Wikipedia exercise (CZ4042 DBpedia subset): a
 * character or word CNN (two `Conv1D(filters, kernelSize)` + `MaxPooling1D(poolSize, poolStrides)`
 * blocks, global max pooling, dense softmax) or a character or word GRU (1 or 2 layers), each with
 * optional dropout before the output layer.
 * @example
 * ```ts
 * import { createTextClassifier } from '@seqlearn/rnn-models';
 * const model = createTextClassifier({ kind: 'wordGru', vocabSize: 1000, maxLength: 100, numClasses: 15, seed: 0 });
 * console.log(model.outputs[0].shape, model.countParams()); // [null, 15] 22775
 * ```
 * @throws {RnnModelsError} `INVALID_CONFIG` naming the field that is wrong.
 */
export function createTextClassifier(config: TextClassifierConfig): tf.Sequential {
  return createSequenceModel(textClassifierToSequenceConfig(config));
}

/** Whether a config is a {@link TextClassifierConfig} (it has a `kind`). */
export function isTextClassifierConfig(config: unknown): config is TextClassifierConfig {
  return typeof config === 'object' && config !== null && 'kind' in config;
}
