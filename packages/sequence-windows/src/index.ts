export { SequenceWindowsError, type SequenceWindowsErrorCode } from './errors';
export { mulberry32, type Rng } from './mulberry32';
export { type ShuffleOptions, shuffle } from './shuffle';
export {
  type StratifiedSplitOptions,
  type StratifyLabels,
  stratifiedSplit,
} from './stratified-split';
export { type SplitIndices, type TrainTestSplitOptions, trainTestSplit } from './train-test-split';
