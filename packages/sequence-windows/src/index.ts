export { SequenceWindowsError, type SequenceWindowsErrorCode } from './errors';
export { type KFoldOptions, kFold } from './k-fold';
export {
  MinMaxScaler,
  type MinMaxScalerJSON,
  type MinMaxScalerOptions,
  minMaxScale,
} from './min-max-scale';
export { mulberry32, type Rng } from './mulberry32';
export {
  type ReshapeWindowsOptions,
  type ReshapeWindowsResult,
  reshapeWindows,
} from './reshape-windows';
export type { Scaled, ScalerInput } from './scaler-data';
export type { SeriesInput } from './series';
export { type ShiftWindowsOptions, type ShiftWindowsResult, shiftWindows } from './shift-windows';
export { type ShuffleOptions, shuffle } from './shuffle';
export {
  StandardScaler,
  type StandardScalerJSON,
  type StandardScalerOptions,
  standardize,
} from './standardize';
export {
  type StatefulBatchesOptions,
  type StatefulBatchesResult,
  statefulBatches,
} from './stateful-batches';
export {
  type StratifiedSplitOptions,
  type StratifyLabels,
  stratifiedSplit,
} from './stratified-split';
export {
  type TimeseriesBatch,
  type TimeseriesDatasetOptions,
  timeseriesDataset,
} from './timeseries-dataset';
export { type SplitIndices, type TrainTestSplitOptions, trainTestSplit } from './train-test-split';
