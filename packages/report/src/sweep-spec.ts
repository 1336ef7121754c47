import { ReportError } from './errors';
import type { RunData } from './load-run';
import { VEGA_LITE_SCHEMA, type VegaLiteSpec } from './vega-lite-spec';

/** Options for {@link sweepSpec}. */
export interface SweepSpecOptions {
  /** The metric to compare the settings on (the one that picked the best). */
  metric: string;
  /** The run drawn highlighted. */
  bestId?: string;
  /** Chart title. @default `<metric> per setting` */
  title?: string;
  /** Width of the plot in pixels. @default 420 */
  width?: number;
}

/**
 * A Vega-Lite bar chart of one metric for each run of a sweep, in run order, the best run
 * highlighted. Runs without a finite value of the metric are left out.
 * @example
 * ```ts
 * import { sweepSpec } from '@seqlearn/report';
 * const runs = [
 *   { runId: 'lstm8', metrics: { val_accuracy: 0.29 } },
 *   { runId: 'gru8', metrics: { val_accuracy: 0.25 } },
 * ];
 * const spec = sweepSpec(runs, { metric: 'val_accuracy', bestId: 'lstm8' });
 * console.log((spec.data as { values: unknown[] }).values);
 * // [ { run: 'lstm8', value: 0.29, best: true }, { run: 'gru8', value: 0.25, best: false } ]
 * ```
 * @throws {ReportError} `INVALID_ARGUMENT` when `metric` is not a non-empty string.
 */
export function sweepSpec(
  runs: readonly Pick<RunData, 'runId' | 'metrics'>[],
  { metric, bestId, title, width = 420 }: SweepSpecOptions,
): VegaLiteSpec {
  if (typeof metric !== 'string' || metric === '') {
    throw new ReportError({
      code: 'INVALID_ARGUMENT',
      argument: 'metric',
      message: `metric: expected the name of a metric, got ${String(metric)}`,
    });
  }
  const values = runs
    .filter((r) => typeof r.metrics[metric] === 'number' && Number.isFinite(r.metrics[metric]))
    .map((r) => ({ run: r.runId, value: r.metrics[metric] as number, best: r.runId === bestId }));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: title ?? `${metric} per setting`,
    width,
    height: { step: 22 },
    data: { values },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          color: {
            field: 'best',
            type: 'nominal',
            title: 'best',
            scale: { domain: [true, false], range: ['#e45756', '#4c78a8'] },
            legend: null,
          },
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 3, fontSize: 10 },
        encoding: { text: { field: 'value', type: 'quantitative', format: '.4~f' } },
      },
    ],
    encoding: {
      y: { field: 'run', type: 'nominal', sort: null, title: 'run' },
      x: { field: 'value', type: 'quantitative', title: metric },
      tooltip: [
        { field: 'run', type: 'nominal' },
        { field: 'value', type: 'quantitative', title: metric, format: '.4f' },
      ],
    },
  };
}
