import { EvalMetricsError } from './errors';
import { checkOptions } from './options';
import { isTensorLike, type TensorLike } from './tensor-like';

/**
 * A tfjs `History` (what `model.fit` resolves to), or its `history` record alone, or either read
 * back from JSON: per-epoch values of each logged metric.
 */
export type HistoryLike =
  | { readonly epoch?: readonly number[]; readonly history: HistoryRecord }
  | HistoryRecord;

/** Metric name → one value per epoch (numbers, or scalar tensors as tfjs may hold them). */
export type HistoryRecord = Readonly<Record<string, ArrayLike<number | TensorLike>>>;

/** Options for {@link historySummary}. */
export interface HistorySummaryOptions {
  /** The metric that picks the best epoch. @default 'val_loss' */
  monitor?: string;
  /**
   * Whether lower (`'min'`) or higher (`'max'`) is better. `'auto'` reads the name as Keras'
   * `EarlyStopping` does, extended to this package's metrics: `'max'` when it contains `acc`,
   * `f1`, `fbeta`, `precision`, `recall`, `auc`, `kappa`, `matthews`, `mcc` or `r2`, else `'min'`.
   * @default 'auto'
   */
  mode?: 'auto' | 'min' | 'max';
  /** A value of `monitor` to reach; `epochsToTarget` counts the epochs until it first is. @default undefined */
  target?: number;
}

/** Final and best value of one metric. */
export interface MetricSummary {
  mode: 'min' | 'max';
  final: number;
  best: number;
  /** Epoch of the best value (from `history.epoch`, 0-based as tfjs records it; first one on ties). */
  bestEpoch: number;
}

/** Result of {@link historySummary}. */
export interface HistorySummary extends MetricSummary {
  monitor: string;
  /** Number of epochs recorded. */
  epochs: number;
  /** Number of epochs trained when `monitor` first reached `target` (1-based count); null if never or no target. */
  epochsToTarget: number | null;
  /**
   * The same summary for every metric in the history, in an object without prototype
   * (`Object.create(null)`), so a metric named `__proto__` or `constructor` is an own key.
   */
  metrics: Record<string, MetricSummary>;
}

const MAX_PATTERN = /acc|f1|fbeta|precision|recall|auc|kappa|matthews|mcc|r2/i;

function resolveMode(name: string, mode: 'auto' | 'min' | 'max'): 'min' | 'max' {
  if (mode !== 'auto') return mode;
  return MAX_PATTERN.test(name) ? 'max' : 'min';
}

function toValue(v: number | TensorLike): number {
  return isTensorLike(v) ? Number(v.dataSync()[0]) : v;
}

function summarize(
  values: number[],
  epochs: readonly number[],
  mode: 'min' | 'max',
): MetricSummary {
  let bestIndex = -1;
  values.forEach((v, i) => {
    if (Number.isNaN(v)) return;
    if (bestIndex < 0 || (mode === 'min' ? v < values[bestIndex] : v > values[bestIndex])) {
      bestIndex = i;
    }
  });
  return {
    mode,
    final: values.length === 0 ? Number.NaN : values[values.length - 1],
    best: bestIndex < 0 ? Number.NaN : values[bestIndex],
    bestEpoch: bestIndex < 0 ? -1 : epochs[bestIndex],
  };
}

/**
 * Summarizes a tfjs training `History`: the best epoch by a chosen metric, final and best values
 * of every metric, and the epochs needed to reach a target.
 * @example
 * ```ts
 * import { historySummary } from '@seqlearn/eval-metrics';
 * const history = { epoch: [0, 1, 2], history: { loss: [1.2, 0.8, 0.7], val_loss: [1.1, 0.9, 0.95], val_acc: [0.5, 0.62, 0.6] } };
 * const s = historySummary(history, { monitor: 'val_acc', target: 0.6 });
 * console.log(s.bestEpoch, s.best, s.final, s.epochsToTarget); // 1 0.62 0.6 2
 * ```
 * @throws {EvalMetricsError} `INVALID_ARGUMENT` when `history` is not an object or `monitor` is
 * not in the history, `EMPTY_INPUT` when it has no epochs.
 * `INVALID_ARGUMENT` (argument `options`) for options that are not an object.
 */
export function historySummary(
  history: HistoryLike,
  options: HistorySummaryOptions = {},
): HistorySummary {
  checkOptions(options);
  const { monitor = 'val_loss', mode = 'auto', target } = options;
  if (typeof history !== 'object' || history === null || Array.isArray(history)) {
    throw new EvalMetricsError({
      code: 'INVALID_ARGUMENT',
      argument: 'history',
      message: `history: expected a tfjs History or its history record ({ metric: values per epoch }), got ${history === null ? 'null' : Array.isArray(history) ? 'an array' : typeof history}`,
    });
  }
  const h = history as { epoch?: readonly number[]; history?: unknown };
  const record = (
    typeof h.history === 'object' && h.history !== null && !Array.isArray(h.history)
      ? h.history
      : history
  ) as HistoryRecord;
  if (!Object.hasOwn(record, monitor)) {
    throw new EvalMetricsError({
      code: 'INVALID_ARGUMENT',
      argument: 'monitor',
      message: `monitor: expected one of the logged metrics ${JSON.stringify(Object.keys(record))}, got ${JSON.stringify(monitor)}`,
    });
  }
  if (!['auto', 'min', 'max'].includes(mode)) {
    throw new EvalMetricsError({
      code: 'INVALID_ARGUMENT',
      argument: 'mode',
      message: `mode: expected 'auto', 'min' or 'max', got ${JSON.stringify(mode)}`,
    });
  }
  // Metric names become keys: objects without prototype, so that `__proto__` stays a metric.
  const series: Record<string, number[]> = Object.create(null);
  for (const [name, values] of Object.entries(record)) {
    series[name] = Array.from(values as ArrayLike<number | TensorLike>, toValue);
  }
  const values = series[monitor];
  if (values.length === 0) {
    throw new EvalMetricsError({
      code: 'EMPTY_INPUT',
      argument: 'history',
      message: `history: expected at least one epoch of ${monitor}, got none`,
    });
  }
  const epochs =
    Array.isArray(h.epoch) && h.epoch.length === values.length ? h.epoch : values.map((_, i) => i);
  const metrics: Record<string, MetricSummary> = Object.create(null);
  for (const [name, v] of Object.entries(series)) {
    metrics[name] = summarize(
      v,
      v.length === epochs.length ? epochs : v.map((_, i) => i),
      resolveMode(name, mode === 'auto' || name === monitor ? mode : 'auto'),
    );
  }
  const main = metrics[monitor];
  let epochsToTarget: number | null = null;
  if (target !== undefined) {
    const reached = values.findIndex((v) => (main.mode === 'min' ? v <= target : v >= target));
    epochsToTarget = reached < 0 ? null : reached + 1;
  }
  return { monitor, epochs: values.length, epochsToTarget, ...main, metrics };
}
