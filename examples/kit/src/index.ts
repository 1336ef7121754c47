export {
  availableCores,
  markdownTable,
  threadsPerRun,
  writeFileAtomic,
  writeJsonAtomic,
} from '@seqlearn/sweep';
export { type AsciiChartOptions, asciiChart, type ChartSeries } from './ascii-chart';
export {
  type CommonFlags,
  defaultOutDir,
  intFlag,
  numberFlag,
  parseExampleArgs,
  runMain,
  UsageError,
} from './cli';
export { fitProgress, type ProgressSink } from './fit-progress';
export { setLearningRate } from './learning-rate';
export { findRepoRoot, type SharedDataPathOptions, sharedDataPath } from './shared-data-path';
export { type SparklineOptions, sparkline } from './sparkline';
export {
  type RunContext,
  type RunOutcome,
  type RunRecord,
  readSettings,
  resultsMarkdown,
  runSweep,
  type Setting,
  type SweepOptions,
  type SweepResults,
} from './sweep';
export { writeRunReport } from './write-report';
