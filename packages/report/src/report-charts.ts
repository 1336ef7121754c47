import { confusionMatrixSpec } from './confusion-matrix-spec';
import { learningCurveMetrics, learningCurveSpec } from './learning-curve-spec';
import type { RunData, RunFolder } from './load-run';
import { runSummarySpec } from './run-summary-spec';
import { sweepSpec } from './sweep-spec';
import type { VegaLiteSpec } from './vega-lite-spec';

/** One chart of a report: where it goes, the file name of its SVG, and its specification. */
export interface ReportChart {
  /** Unique, file-safe: the SVG is written to `charts/<name>.svg`. */
  name: string;
  /** The report section it belongs to. */
  section: 'sweep' | 'curves' | 'best' | 'repeats' | 'run';
  /** The run it shows (confusion matrices). */
  runId?: string;
  spec: VegaLiteSpec;
}

/** Options for {@link reportCharts}. */
export interface ReportChartsOptions {
  /** Error bars of the repeated-run summary: confidence interval or ± std. @default 'ci' */
  interval?: 'ci' | 'std';
}

/** A file-safe version of `text`: letters, digits, `.`, `_` and `-`. */
export function fileSafe(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '') || 'chart';
}

/**
 * The run whose confusion matrix a report shows first: the sweep run of the best setting if it
 * has a confusion matrix, else the first run that has one.
 * @example
 * ```ts
 * import { bestRun, loadRun } from '@seqlearn/report';
 * console.log(bestRun(await loadRun('runs/har'))?.runId); // simplernn8
 * ```
 */
export function bestRun(folder: Pick<RunFolder, 'runs' | 'bestId'>): RunData | undefined {
  const withCm = folder.runs.filter((r) => r.confusionMatrix);
  return withCm.find((r) => r.runId === folder.bestId) ?? withCm[0];
}

/**
 * Every chart of the report of a run folder ({@link loadRun}), in page order: the sweep
 * comparison (when `results.json` names the metric), one learning curve per metric, the best
 * run's confusion matrix (counts and row-normalised), the repeated-run summary, and the
 * confusion matrices of the other runs. Charts without data are left out.
 * @example
 * ```ts
 * import { loadRun, reportCharts } from '@seqlearn/report';
 * const charts = reportCharts(await loadRun('runs/har'));
 * console.log(charts.map((c) => c.name).slice(0, 4));
 * // [ 'sweep-val_accuracy', 'learning-curve-loss', 'learning-curve-accuracy', 'confusion-matrix-simplernn8' ]
 * ```
 */
export function reportCharts(
  folder: RunFolder,
  { interval = 'ci' }: ReportChartsOptions = {},
): ReportChart[] {
  const charts: ReportChart[] = [];
  const used = new Set<string>();
  const add = (base: string, chart: Omit<ReportChart, 'name'>) => {
    let name = fileSafe(base);
    for (let i = 2; used.has(name); i++) name = `${fileSafe(base)}-${i}`;
    used.add(name);
    charts.push({ name, ...chart });
  };
  const sweep = folder.runs.filter((r) => r.kind === 'sweep');
  const { metric } = folder;
  if (metric && sweep.some((r) => typeof r.metrics[metric] === 'number')) {
    add(`sweep-${metric}`, {
      section: 'sweep',
      spec: sweepSpec(sweep, { metric, bestId: folder.bestId }),
    });
  }
  for (const m of learningCurveMetrics(folder.runs)) {
    add(`learning-curve-${m}`, {
      section: 'curves',
      spec: learningCurveSpec(folder.runs, { metric: m }),
    });
  }
  const best = bestRun(folder);
  const matrices = (run: RunData, section: ReportChart['section']) => {
    const cm = run.confusionMatrix!;
    add(`confusion-matrix-${run.runId}`, {
      section,
      runId: run.runId,
      spec: confusionMatrixSpec(cm, { title: `${run.runId}: confusion matrix (counts)` }),
    });
    add(`confusion-matrix-${run.runId}-normalized`, {
      section,
      runId: run.runId,
      spec: confusionMatrixSpec(cm, {
        normalize: true,
        title: `${run.runId}: confusion matrix (row-normalised)`,
      }),
    });
  };
  if (best) matrices(best, 'best');
  const repeats = folder.runs.filter((r) => r.kind === 'repeat');
  if (Object.keys(folder.summary).length > 0) {
    add('repeat-summary', {
      section: 'repeats',
      spec: runSummarySpec(folder.summary, { interval, runs: repeats }),
    });
  }
  for (const run of folder.runs) {
    if (run !== best && run.confusionMatrix) matrices(run, 'run');
  }
  return charts;
}
