export { type AccuracyOptions, accuracy } from './accuracy';
export { type BalancedAccuracyOptions, balancedAccuracy } from './balanced-accuracy';
export {
  type ClassificationReportDict,
  type ClassificationReportOptions,
  type ClassificationReportRow,
  classificationReport,
} from './classification-report';
export { type CohenKappaOptions, cohenKappa } from './cohen-kappa';
export {
  type ClassWeight,
  type ClassWeightSpec,
  computeClassWeight,
} from './compute-class-weight';
export { type ComputeSampleWeightOptions, computeSampleWeight } from './compute-sample-weight';
export { type ConfusionMatrixOptions, confusionMatrix } from './confusion-matrix';
export { EvalMetricsError, type EvalMetricsErrorCode } from './errors';
export {
  type FormatConfusionMatrixOptions,
  formatConfusionMatrix,
} from './format-confusion-matrix';
export {
  type HistoryLike,
  type HistoryRecord,
  type HistorySummary,
  type HistorySummaryOptions,
  historySummary,
  type MetricSummary,
} from './history-summary';
export { type LogLossOptions, logLoss } from './log-loss';
export { lastKAccuracy, maskedAccuracy } from './masked-accuracy';
export { type MatthewsCorrcoefOptions, matthewsCorrcoef } from './matthews-corrcoef';
export { meanAbsoluteError } from './mean-absolute-error';
export { meanSquaredError, rootMeanSquaredError } from './mean-squared-error';
export { bitsPerChar, perplexity } from './perplexity';
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
export { type R2ScoreOptions, r2Score } from './r2-score';
export type { Multioutput, RegressionOptions } from './regression-input';
export { type RocAucOptions, rocAuc } from './roc-auc';
export { type RunSummary, type SummarizeRunsOptions, summarizeRuns } from './summarize-runs';
export type { Label, LabelInput, MatrixInput, NumericInput, TensorLike } from './tensor-like';
export { type TopKAccuracyOptions, topKAccuracy } from './top-k-accuracy';
export {
  type BuiltinValidationMetric,
  type PredictingModel,
  type ValidationMetricFn,
  type ValidationMetricsCallback,
  type ValidationMetricsCallbackOptions,
  type ValidationOutputs,
  validationMetricsCallback,
} from './validation-metrics-callback';
