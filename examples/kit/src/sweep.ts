import {
  runSweep as runSweepOnly,
  type Setting,
  type SweepOptions as SweepOnlyOptions,
  type SweepResults,
} from '@seqlearn/sweep';
import { writeRunReport } from './write-report';

// The sweep runner itself lives in @seqlearn/sweep; the examples add the HTML report.
export {
  type RunContext,
  type RunOutcome,
  type RunRecord,
  readSettings,
  resultsMarkdown,
  type Setting,
  type SweepResults,
} from '@seqlearn/sweep';

/** Options for {@link runSweep}: those of `@seqlearn/sweep`'s, plus the report. */
export interface SweepOptions<S extends Setting> extends SweepOnlyOptions<S> {
  /**
   * Write `report.html` and `charts/*.svg` (with `@seqlearn/report`) into `out` when the sweep is
   * done, and log its path. @default true
   */
  report?: boolean;
}

/**
 * `@seqlearn/sweep`'s `runSweep` (settings once each, the best again with new seeds, mean ± std,
 * atomic files, resume, worker processes), then the run's `report.html` unless `report` is false.
 */
export async function runSweep<S extends Setting>({
  report = true,
  ...options
}: SweepOptions<S>): Promise<SweepResults<S>> {
  const results = await runSweepOnly(options);
  if (report) await writeRunReport(options.out, options.log);
  return results;
}
