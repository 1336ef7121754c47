import { ReportError } from './errors';
import type { RunData } from './load-run';
import { colorScheme, VEGA_LITE_SCHEMA, type VegaLiteSpec } from './vega-lite-spec';

/** The runs a learning curve needs: an id and a tfjs `History.history`. */
export type HistoryRun = Pick<RunData, 'runId' | 'history'>;

/** One point of a learning curve, in the long form the chart plots. */
export interface CurvePoint {
  run: string;
  /** 1-based, as Keras prints epochs. */
  epoch: number;
  /** `'validation'` for the `val_` keys of a history, `'train'` for the others. */
  split: 'train' | 'validation';
  /** The history key without its `val_` prefix: `loss`, `acc`, `accuracy`, … */
  metric: string;
  value: number;
}

/** Splits a history key into its metric and split: `val_loss` is the validation `loss`. */
function splitKey(key: string): { metric: string; split: CurvePoint['split'] } {
  return key.startsWith('val_')
    ? { metric: key.slice(4), split: 'validation' }
    : { metric: key, split: 'train' };
}

function checkRuns(runs: readonly HistoryRun[]): void {
  if (!Array.isArray(runs)) {
    throw new ReportError({
      code: 'INVALID_ARGUMENT',
      argument: 'runs',
      message: `runs: expected an array of { runId, history }, got ${typeof runs}`,
    });
  }
}

/**
 * The metrics that have learning curves, in the order a report shows them: `loss` first, then
 * the others as the histories first name them (`val_` keys fold into their training metric).
 * @example
 * ```ts
 * import { learningCurveMetrics } from '@seqlearn/report';
 * const history = { acc: [0.5, 0.7], loss: [1.2, 0.8], val_loss: [1.3, 1.0], val_acc: [0.4, 0.6] };
 * console.log(learningCurveMetrics([{ runId: 'gru', history }])); // [ 'loss', 'acc' ]
 * ```
 */
export function learningCurveMetrics(runs: readonly HistoryRun[]): string[] {
  checkRuns(runs);
  const seen = new Set<string>();
  for (const run of runs) {
    for (const [key, values] of Object.entries(run.history)) {
      if (values.some((v) => v !== null && Number.isFinite(v))) seen.add(splitKey(key).metric);
    }
  }
  return [...seen].sort((a, b) => Number(b === 'loss') - Number(a === 'loss'));
}

/**
 * The points of every run's learning curves, one per run, epoch and history key, in long form.
 * Values that are `null` or not finite (NaN written to JSON) are left out.
 * @example
 * ```ts
 * import { learningCurveData } from '@seqlearn/report';
 * console.log(learningCurveData([{ runId: 'gru', history: { loss: [0.9], val_loss: [1.1] } }]));
 * // [ { run: 'gru', epoch: 1, split: 'train', metric: 'loss', value: 0.9 },
 * //   { run: 'gru', epoch: 1, split: 'validation', metric: 'loss', value: 1.1 } ]
 * ```
 */
export function learningCurveData(runs: readonly HistoryRun[]): CurvePoint[] {
  checkRuns(runs);
  const points: CurvePoint[] = [];
  for (const run of runs) {
    for (const [key, values] of Object.entries(run.history)) {
      const { metric, split } = splitKey(key);
      values.forEach((value, i) => {
        if (value !== null && Number.isFinite(value)) {
          points.push({ run: run.runId, epoch: i + 1, split, metric, value });
        }
      });
    }
  }
  return points;
}

/** Options for {@link learningCurveSpec}. */
export interface LearningCurveOptions {
  /** The metric to plot (`loss`, `acc`, `accuracy`, …); its `val_` key is the dashed line. */
  metric: string;
  /** Chart title. @default `<metric> per epoch` */
  title?: string;
  /** Width of the plot in pixels. @default 460 */
  width?: number;
  /** Height of the plot in pixels. @default 240 */
  height?: number;
}

/**
 * A Vega-Lite line chart of one metric per epoch: one colour per run, training solid and
 * validation (`val_<metric>`) dashed, a point on every epoch (so one-epoch runs show too).
 * @example
 * ```ts
 * import { learningCurveSpec } from '@seqlearn/report';
 * const runs = [
 *   { runId: 'lstm8', history: { loss: [1.82, 1.71], val_loss: [1.77, 1.69] } },
 *   { runId: 'gru8', history: { loss: [1.94, 1.73], val_loss: [1.86, 1.72] } },
 * ];
 * const spec = learningCurveSpec(runs, { metric: 'loss' });
 * console.log(spec.title, (spec.data as { values: unknown[] }).values.length); // loss per epoch 8
 * ```
 * @throws {ReportError} `INVALID_ARGUMENT` when `metric` is not a non-empty string.
 */
export function learningCurveSpec(
  runs: readonly HistoryRun[],
  { metric, title, width = 460, height = 240 }: LearningCurveOptions,
): VegaLiteSpec {
  if (typeof metric !== 'string' || metric === '') {
    throw new ReportError({
      code: 'INVALID_ARGUMENT',
      argument: 'metric',
      message: `metric: expected a history key such as 'loss', got ${String(metric)}`,
    });
  }
  const values = learningCurveData(runs).filter((p) => p.metric === metric);
  const runIds = [...new Set(values.map((p) => p.run))];
  const maxEpoch = Math.max(1, ...values.map((p) => p.epoch));
  const dashes = { train: [1, 0], validation: [5, 3] };
  const splits = (['train', 'validation'] as const).filter((s) =>
    values.some((p) => p.split === s),
  );
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: title ?? `${metric} per epoch`,
    width,
    height,
    data: { values },
    mark: { type: 'line', point: { size: 30 }, strokeWidth: 1.6 },
    encoding: {
      x: {
        field: 'epoch',
        type: 'quantitative',
        title: 'epoch',
        // One epoch sits in the middle rather than on the edge of the axis.
        scale: { domain: maxEpoch > 1 ? [1, maxEpoch] : [0.5, 1.5], nice: false },
        axis: { tickMinStep: 1, format: 'd' },
      },
      y: { field: 'value', type: 'quantitative', title: metric, scale: { zero: false } },
      color: {
        field: 'run',
        type: 'nominal',
        title: 'run',
        sort: runIds,
        scale: { scheme: colorScheme(runIds.length) },
      },
      strokeDash: {
        field: 'split',
        type: 'nominal',
        title: 'data',
        scale: { domain: splits, range: splits.map((s) => dashes[s]) },
        legend: {
          symbolType: 'stroke',
          symbolStrokeColor: '#444',
          symbolStrokeWidth: 1.6,
          symbolSize: 400,
          symbolFillColor: 'transparent',
        },
      },
      tooltip: [
        { field: 'run', type: 'nominal' },
        { field: 'split', type: 'nominal' },
        { field: 'epoch', type: 'quantitative' },
        { field: 'value', type: 'quantitative', title: metric, format: '.4f' },
      ],
    },
  };
}
