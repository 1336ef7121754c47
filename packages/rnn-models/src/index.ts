export type { BackendInfo, BackendName, InitBackendOptions } from './backend';
export { BasicRNNCell } from './basic-rnn-cell';
export { clipByGlobalNorm } from './clip-by-global-norm';
export { compileModel } from './compile-model';
export { countParams, countParamsByLayer, type ParamCount } from './count-params';
export {
  createRnnClassifier,
  createRnnRegressor,
  type RnnClassifierConfig,
  type RnnRegressorConfig,
} from './create-rnn-classifier';
export { createSequenceModel } from './create-sequence-model';
export {
  createTextClassifier,
  type TextClassifierConfig,
} from './create-text-classifier';
export { describeModel } from './describe-model';
export type { LossName } from './element-losses';
export { RnnModelsError, type RnnModelsErrorCode } from './errors';
export { FusedAdam } from './fused/fused-adam';
export {
  FusedConv1D,
  type FusedConv1DArgs,
  unsupportedConv1DOptions,
} from './fused/fused-conv1d';
export { FusedGRU } from './fused/fused-gru';
export { FusedLSTM } from './fused/fused-lstm';
export {
  FusedRecurrent,
  type FusedRecurrentArgs,
  unsupportedFusedOptions,
} from './fused/fused-recurrent';
export { FusedSimpleRNN } from './fused/fused-simple-rnn';
export { fusedSoftmaxCrossEntropy } from './fused/fused-softmax-cross-entropy';
export { activeFusedImplementation, type FusedImplementation } from './fused/recurrence';
export { generateSequence } from './generate-sequence';
export { type GenerateTextOptions, generateText, type TextAlphabet } from './generate-text';
export type { LayerImplementation } from './layer-implementation';
export { LSTMCell, type LSTMState } from './lstm-cell';
export type {
  CompileOptions,
  ConvConfig,
  EmbeddingConfig,
  MergeMode,
  RecurrentCell,
  RegularizerConfig,
  SequenceModelConfig,
} from './model-config';
export {
  initBackend,
  kernelThreads,
  registerDirectKernels,
  registerFusedLayers,
  setFusedImplementation,
  setKernelThreads,
  setRelaxedSimd,
} from './process-switches';
export type { CellOptions, CellState, RecurrentCell as RecurrentCellLike } from './recurrent-cell';
export { type SampleNextOptions, sampleNext } from './sample-next';
export {
  type LoadModelOptions,
  loadExtra,
  loadModel,
  type SavedModelInfo,
  type SaveModelOptions,
  saveModel,
} from './save-model';
export { createStepper, type ModelStepper, stepperUnsupported } from './step-model';
export {
  type EarlyStoppingOptions,
  type TrainCallbacks,
  type TrainData,
  type TrainHistory,
  type TrainLogs,
  type TrainOptions,
  train,
} from './train';
export { type UnrollOptions, unroll } from './unroll';
export type { DirectKernelBackend } from './wasm/kernel-io';
export type { FusedActivation } from './wasm/wasm-kernel';
export { type GradientClippingOptions, withGradientClipping } from './with-gradient-clipping';
