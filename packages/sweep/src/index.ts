export { sweepCli } from './cli';
export { SweepError, type SweepErrorCode } from './errors';
export { availableCores, threadsPerRun } from './kernel-threads';
export { markdownTable } from './markdown-table';
export {
  DEFAULT_QUEUE_NAME,
  type QueueWorker,
  type QueueWorkerOptions,
  startQueueWorker,
} from './queue';
export { readSettings } from './read-settings';
export { resultsMarkdown } from './results-markdown';
export { finalJobs, selectionJobs } from './run-plan';
export { runSweep, type SweepOptions } from './run-sweep';
export { loadSweepModule, type SweepModule } from './sweep-module';
export type {
  RunContext,
  RunFunction,
  RunJob,
  RunOutcome,
  RunPhase,
  RunRecord,
  Setting,
  SweepResults,
} from './types';
export { writeFileAtomic, writeJsonAtomic } from './write-atomic';
