export { type ReportCliOptions, reportCli } from './cli';
export {
  type ConfusionCell,
  type ConfusionMatrixSpecOptions,
  confusionMatrixCells,
  confusionMatrixSpec,
} from './confusion-matrix-spec';
export { ReportError, type ReportErrorCode } from './errors';
export {
  type CurvePoint,
  type HistoryRun,
  type LearningCurveOptions,
  learningCurveData,
  learningCurveMetrics,
  learningCurveSpec,
} from './learning-curve-spec';
export {
  type ConfusionMatrixData,
  loadRun,
  parseConfusionMatrix,
  parseHistory,
  parseMetrics,
  type RunData,
  type RunFolder,
  type RunSummaryData,
} from './load-run';
export { type ClassScores, type PerClassScores, perClassScores } from './per-class-scores';
export { renderSvg } from './render-svg';
export {
  bestRun,
  type ReportChart,
  type ReportChartsOptions,
  reportCharts,
} from './report-charts';
export { type ReportHtmlOptions, reportHtml } from './report-html';
export { type RunSummarySpecOptions, runSummarySpec, type SummaryPoint } from './run-summary-spec';
export { type SweepSpecOptions, sweepSpec } from './sweep-spec';
export { loadVegaAssets, type VegaAssets } from './vega-assets';
export { VEGA_LITE_SCHEMA, type VegaLiteSpec } from './vega-lite-spec';
export { type WriteReportOptions, type WriteReportResult, writeReport } from './write-report';
