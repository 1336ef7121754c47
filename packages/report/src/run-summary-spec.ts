import { ReportError } from './errors';
import type { RunData, RunSummaryData } from './load-run';
import { VEGA_LITE_SCHEMA, type VegaLiteSpec } from './vega-lite-spec';

/** Options for {@link runSummarySpec}. */
export interface RunSummarySpecOptions {
  /**
   * The error bar: `'ci'` draws the confidence interval of the mean (Student t, as
   * `summarizeRuns` computes it), `'std'` the mean ± one sample standard deviation. Where the
   * chosen one is undefined (a single run) there is no bar.
   * @default 'ci'
   */
  interval?: 'ci' | 'std';
  /** The repeated runs, drawn as small dots beside the mean. @default none */
  runs?: readonly Pick<RunData, 'runId' | 'metrics'>[];
  /** Metrics to show, in order. @default every metric of `summary` */
  metrics?: readonly string[];
  /** Chart title. @default 'Repeated runs: mean with 95% CI' (or '± std') */
  title?: string;
}

/**
 * One row of the data of {@link runSummarySpec}: a mean (`mean`, `n`, and `low`/`high` where the
 * error bar is defined) or one run's value (`run`, `value`). Each layer plots the fields its
 * rows have; the others are left out rather than filtered, which vega-lite's facets mishandle.
 */
export interface SummaryPoint {
  metric: string;
  mean?: number;
  low?: number;
  high?: number;
  n?: number;
  run?: string;
  value?: number;
}

function finite(x: number | null | undefined): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/** The error bar of one summary, or undefined where it is not defined. */
export function errorBar(
  s: RunSummaryData,
  interval: 'ci' | 'std',
): { low: number; high: number } | undefined {
  if (interval === 'ci') {
    const [low, high] = s.ci ?? [null, null];
    return finite(low) && finite(high) ? { low, high } : undefined;
  }
  return finite(s.std) ? { low: s.mean - s.std, high: s.mean + s.std } : undefined;
}

const ERROR_BAR_LAYER = {
  mark: { type: 'rule', strokeWidth: 2 },
  encoding: {
    y: {
      field: 'low',
      type: 'quantitative',
      scale: { zero: false },
      title: null,
      axis: { format: '~g' },
    },
    y2: { field: 'high' },
    color: { value: '#4c78a8' },
  },
};

/**
 * A Vega-Lite chart of repeated runs: one small panel per metric (each with its own scale)
 * showing the mean as a point with an error bar (confidence interval or ± std) and, if `runs`
 * are given, each run's value as a faint dot.
 * @example
 * ```ts
 * import { summarizeRuns } from '@seqlearn/eval-metrics';
 * import { runSummarySpec } from '@seqlearn/report';
 * const spec = runSummarySpec({ accuracy: summarizeRuns([0.71, 0.74, 0.73]) });
 * const [mean] = (spec.data as { values: { low: number; high: number }[] }).values;
 * console.log(mean.low.toFixed(3), mean.high.toFixed(3)); // 0.689 0.765
 * ```
 * @throws {ReportError} `INVALID_ARGUMENT` for an unknown `interval`.
 */
export function runSummarySpec(
  summary: Record<string, RunSummaryData>,
  { interval = 'ci', runs = [], metrics, title }: RunSummarySpecOptions = {},
): VegaLiteSpec {
  if (interval !== 'ci' && interval !== 'std') {
    throw new ReportError({
      code: 'INVALID_ARGUMENT',
      argument: 'interval',
      message: `interval: expected 'ci' or 'std', got ${String(interval)}`,
    });
  }
  const names = (metrics ?? Object.keys(summary)).filter((m) => finite(summary[m]?.mean));
  const values: SummaryPoint[] = [];
  for (const metric of names) {
    const s = summary[metric];
    values.push({ metric, mean: s.mean, n: s.n, ...errorBar(s, interval) });
    for (const run of runs) {
      const v = run.metrics[metric];
      if (finite(v)) values.push({ metric, run: run.runId, value: v });
    }
  }
  const confidence = Object.values(summary)[0]?.confidence ?? 0.95;
  const barTitle = interval === 'ci' ? `${Math.round(confidence * 100)}% CI` : '± std';
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: title ?? `Repeated runs: mean with ${barTitle}`,
    data: { values },
    facet: { field: 'metric', type: 'nominal', title: null, sort: names },
    columns: 4,
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 110,
      height: 160,
      encoding: {
        x: { datum: 'mean', type: 'nominal', axis: null },
      },
      layer: [
        ...(values.some((v) => v.low !== undefined) ? [ERROR_BAR_LAYER] : []),
        {
          mark: { type: 'point', filled: true, opacity: 0.45, size: 28, xOffset: 14 },
          encoding: {
            y: {
              field: 'value',
              type: 'quantitative',
              scale: { zero: false },
              title: null,
              axis: { format: '~g' },
            },
            color: { value: '#888' },
            tooltip: [
              { field: 'run', type: 'nominal' },
              { field: 'value', type: 'quantitative', format: '.4f' },
            ],
          },
        },
        {
          mark: { type: 'point', filled: true, size: 70 },
          encoding: {
            y: {
              field: 'mean',
              type: 'quantitative',
              scale: { zero: false },
              title: null,
              axis: { format: '~g' },
            },
            color: { value: '#4c78a8' },
            tooltip: [
              { field: 'metric', type: 'nominal' },
              { field: 'mean', type: 'quantitative', format: '.4f' },
              { field: 'low', type: 'quantitative', title: `${barTitle} low`, format: '.4f' },
              { field: 'high', type: 'quantitative', title: `${barTitle} high`, format: '.4f' },
              { field: 'n', type: 'quantitative' },
            ],
          },
        },
      ],
    },
  };
}
