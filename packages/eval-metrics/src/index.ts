export { type AccuracyOptions, accuracy } from './accuracy';
export { type BalancedAccuracyOptions, balancedAccuracy } from './balanced-accuracy';
export {
  type ClassWeight,
  type ClassWeightSpec,
  computeClassWeight,
} from './compute-class-weight';
export { type ConfusionMatrixOptions, confusionMatrix } from './confusion-matrix';
export { EvalMetricsError, type EvalMetricsErrorCode } from './errors';
export {
  type FormatConfusionMatrixOptions,
  formatConfusionMatrix,
} from './format-confusion-matrix';
export {
  type Average,
  type FbetaOptions,
  f1,
  fbeta,
  type PrecisionRecallFscoreSupportAveraged,
  type PrecisionRecallFscoreSupportOptions,
  type PrecisionRecallFscoreSupportPerClass,
  type PrecisionRecallOptions,
  precision,
  precisionRecallFscoreSupport,
  recall,
  type ZeroDivision,
} from './precision-recall-fscore-support';
export type { Label, LabelInput, MatrixInput, NumericInput, TensorLike } from './tensor-like';
