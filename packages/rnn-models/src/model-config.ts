import type { LayerImplementation } from './layer-implementation';

/** Recurrent layer kinds, named as the Keras layers `SimpleRNN`, `LSTM` and `GRU`. */
export type RecurrentCell = 'simpleRNN' | 'lstm' | 'gru';

/** How a bidirectional layer combines its two directions (Keras `merge_mode`). */
export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave';

/** L1/L2 penalty factors, as Keras `regularizers.L1L2`. */
export interface RegularizerConfig {
  /** L1 factor. @default 0 */
  l1?: number;
  /** L2 factor. @default 0 */
  l2?: number;
}

/** An `Embedding` front end: integer token ids in, vectors out. */
export interface EmbeddingConfig {
  /** Vocabulary size (largest id + 1). */
  inputDim: number;
  /** Vector size. */
  outputDim: number;
  /**
   * Pretrained vectors: one row per id (`[inputDim][outputDim]`), or a row-major
   * `{ matrix, shape: [inputDim, outputDim] }` such as `buildEmbeddingMatrix` of
   * `@seqlearn/text-preprocess` returns. @default none: learned from a random start (uniform in
   * [-0.05, 0.05], as Keras)
   */
  weights?:
    | readonly (readonly number[])[]
    | { matrix: ArrayLike<number>; shape: readonly [number, number] };
  /** `false` freezes the vectors (pretrained and frozen); `true` fine-tunes them. @default true */
  trainable?: boolean;
  /** Treat id 0 as padding and mask it in the recurrent layers (Keras `mask_zero`). @default false */
  maskZero?: boolean;
}

/** One `Conv1D` block, optionally followed by a pooling layer. */
export interface ConvConfig {
  /** Number of filters. */
  filters: number;
  /** Window length. */
  kernelSize: number;
  /** @default 1 */
  strides?: number;
  /** @default 'valid' */
  padding?: 'valid' | 'same';
  /** @default 'relu' */
  activation?: 'relu' | 'tanh' | 'sigmoid' | 'linear' | 'elu' | 'selu';
  /** Pooling after the convolution. @default none */
  pool?: {
    /** @default 'max' */
    type?: 'max' | 'average';
    /** Window length. */
    size: number;
    /** @default size */
    strides?: number;
    /** @default 'valid' */
    padding?: 'valid' | 'same';
  };
}

/** Options for `compile` in a model config; see {@link compileModel}. */
export interface CompileOptions {
  /** tfjs optimizer name. @default 'adam' */
  optimizer?: 'adam' | 'sgd' | 'rmsprop' | 'adagrad' | 'adadelta' | 'adamax';
  /** @default the optimizer's Keras default (0.001 for adam, rmsprop, adamax; 0.01 for sgd, adagrad; 1 for adadelta) */
  learningRate?: number;
  /**
   * Loss name. @default 'categoricalCrossentropy' for softmax outputs (one-hot labels; use
   * 'sparseCategoricalCrossentropy' for integer labels), 'binaryCrossentropy' for sigmoid outputs,
   * 'meanSquaredError' for regression
   */
  loss?: string;
  /** @default ['accuracy'] for classifiers, [] for regressors */
  metrics?: readonly string[];
  /** Clip each gradient so that their global L2 norm is at most this (see {@link withGradientClipping}). @default none */
  clipNorm?: number;
  /** Clip every gradient element to [-clipValue, clipValue]. @default none */
  clipValue?: number;
}

/**
 * A whole sequence model as plain JSON: optional `Embedding`, optional `Conv1D` blocks, optional
 * stacked recurrent layers (optionally bidirectional, optionally an encoder-decoder), optional
 * hidden dense layers, and an output layer. {@link createSequenceModel} builds it and
 * {@link countParams} counts its trainable parameters without building it.
 */
export interface SequenceModelConfig {
  /**
   * Shape of one example without the batch: `[steps, features]`, or `[steps]` when `embedding` is
   * set. `steps` may be `null` for variable-length recurrent models.
   */
  inputShape: readonly (number | null)[];
  /** Token-id front end. @default none */
  embedding?: EmbeddingConfig;
  /** `Conv1D` blocks applied in order, before any recurrent layer (CNN + LSTM). @default none */
  conv?: readonly ConvConfig[];
  /** Recurrent layer kind. @default none (a convolutional or dense-only model) */
  cell?: RecurrentCell;
  /** Units of each recurrent layer: one number for every layer, or one per layer. */
  units?: number | readonly number[];
  /** Number of stacked recurrent layers. @default units.length when `units` is an array, else 1 */
  layers?: number;
  /**
   * GRU only: Keras 2's and PyTorch's formulation (the reset gate applied after the recurrent
   * product, with a second bias row, so `3 · (units · (inputDim + units) + 2 · units)` parameters).
   * Only the fused layers have it (stock tfjs refuses it), so it needs `layerImplementation`
   * 'auto' or 'fused' and options the fused layers support. @default false (tfjs' GRU)
   */
  resetAfter?: boolean;
  /**
   * Which recurrent layers to build: `'auto'` builds {@link FusedLSTM}, {@link FusedGRU} or
   * {@link FusedSimpleRNN} where the options allow it (no `dropout`, `recurrentDropout` or
   * `stateful`) and the stock `tf.layers.lstm` / `gru` / `simpleRNN` otherwise; `'fused'` throws
   * `INVALID_CONFIG` naming the option the fused layers lack; `'stock'` always builds the tfjs
   * layers. Both save as Keras' `LSTM`, `GRU`, `SimpleRNN`, and the same `seed` gives the same
   * initial weights with either. `Conv1D` layers are {@link FusedConv1D} with `'auto'` and
   * `'fused'` where the kernel runs their options (never throwing: stock otherwise) and stock with
   * `'stock'`. @default 'auto'
   */
  layerImplementation?: LayerImplementation;
  /** Activation of SimpleRNN layers. @default 'tanh' */
  activation?: 'tanh' | 'relu' | 'sigmoid' | 'linear';
  /** Wrap every recurrent layer in `Bidirectional`. @default false */
  bidirectional?: boolean;
  /** How the two directions are combined. @default 'concat' */
  mergeMode?: MergeMode;
  /** Fraction of each recurrent layer's inputs dropped in training (Keras `dropout`). @default 0 */
  dropout?: number;
  /** Fraction of the recurrent state dropped in training (Keras `recurrent_dropout`). @default 0 */
  recurrentDropout?: number;
  /** Penalty on the input kernels of recurrent, convolutional and dense layers. @default none */
  kernelRegularizer?: RegularizerConfig;
  /** Penalty on the recurrent kernels. @default none */
  recurrentRegularizer?: RegularizerConfig;
  /** Penalty on the biases of recurrent, convolutional and dense layers. @default none */
  biasRegularizer?: RegularizerConfig;
  /**
   * Many-to-many: predict at every step through `TimeDistributed(Dense)` instead of once per
   * sequence. @default false
   */
  returnSequences?: boolean;
  /**
   * Encoder-decoder: the recurrent stack encodes the input into one vector, `RepeatVector(steps)`
   * repeats it and a second recurrent stack of the same `cell` decodes `steps` outputs.
   * @default none
   */
  decoder?: {
    /** Number of output steps. */
    steps: number;
    /** Units of each decoder layer. @default the last encoder layer's units */
    units?: number | readonly number[];
  };
  /** How a model without recurrent layers turns its sequence into a vector. @default 'flatten' */
  pooling?: 'flatten' | 'globalMax' | 'globalAverage';
  /** Hidden dense layers (ReLU) before the output. @default [] */
  dense?: readonly number[];
  /** Rate of a `Dropout` layer before the output layer. @default 0 */
  outputDropout?: number;
  /** @default 'classification' when `numClasses` is set, else 'regression' */
  task?: 'classification' | 'regression';
  /** Number of classes of a classifier. */
  numClasses?: number;
  /**
   * Output activation of a classifier: 'softmax' over `numClasses` units, or 'sigmoid' (one unit
   * when `numClasses` is 2, binary; else `numClasses` independent units, multi-label).
   * @default 'softmax'
   */
  outputActivation?: 'softmax' | 'sigmoid';
  /** Number of outputs of a regressor (linear activation). @default 1 */
  outputUnits?: number;
  /** Keep recurrent state between batches (Keras `stateful`); needs `batchSize`. @default false */
  stateful?: boolean;
  /** Fixed batch size (`batchInputShape`), required when `stateful`. @default none */
  batchSize?: number;
  /** Seed of every weight initializer: the same seed gives the same weights. @default random */
  seed?: number;
  /** Compile the model right away: `true` for the defaults of {@link CompileOptions}. @default false */
  compile?: boolean | CompileOptions;
  /** Model name. @default tfjs' generated name */
  name?: string;
}
