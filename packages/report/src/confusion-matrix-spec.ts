import { ReportError } from './errors';
import type { ConfusionMatrixData } from './load-run';
import { VEGA_LITE_SCHEMA, type VegaLiteSpec } from './vega-lite-spec';

/** Throws `INVALID_ARGUMENT` unless `cm` is `{ labels, matrix }` with a square count matrix. */
export function checkConfusionMatrix(cm: ConfusionMatrixData, argument = 'confusionMatrix'): void {
  const k = Array.isArray(cm?.labels) ? cm.labels.length : -1;
  const ok =
    k > 0 &&
    Array.isArray(cm.matrix) &&
    cm.matrix.length === k &&
    cm.matrix.every(
      (row) =>
        Array.isArray(row) &&
        row.length === k &&
        row.every((x) => typeof x === 'number' && Number.isFinite(x) && x >= 0),
    );
  if (!ok) {
    throw new ReportError({
      code: 'INVALID_ARGUMENT',
      argument,
      message: `${argument}: expected { labels, matrix } with a ${k > 0 ? `${k}×${k}` : 'k×k'} matrix of non-negative counts (rows true, columns predicted), got ${
        Array.isArray(cm?.matrix) ? `${cm.matrix.length} rows` : typeof cm?.matrix
      }${k > 0 ? ` for ${k} labels` : ' and no labels'}`,
    });
  }
}

/** One cell of a confusion matrix in long form. */
export interface ConfusionCell {
  true: string;
  predicted: string;
  count: number;
  /** `count` over its row's total (recall of the true class on the diagonal); 0 for an empty row. */
  rate: number;
}

/**
 * The cells of a confusion matrix in long form, with each count's share of its row.
 * @example
 * ```ts
 * import { confusionMatrixCells } from '@seqlearn/report';
 * console.log(confusionMatrixCells({ labels: ['a', 'b'], matrix: [[3, 1], [0, 2]] })[1]);
 * // { true: 'a', predicted: 'b', count: 1, rate: 0.25 }
 * ```
 * @throws {ReportError} `INVALID_ARGUMENT` for a matrix that is not square with one row per label.
 */
export function confusionMatrixCells(cm: ConfusionMatrixData): ConfusionCell[] {
  checkConfusionMatrix(cm);
  const cells: ConfusionCell[] = [];
  cm.matrix.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    row.forEach((count, j) => {
      cells.push({
        true: cm.labels[i],
        predicted: cm.labels[j],
        count,
        rate: total > 0 ? count / total : 0,
      });
    });
  });
  return cells;
}

/** Options for {@link confusionMatrixSpec}. */
export interface ConfusionMatrixSpecOptions {
  /**
   * Colour and label each cell by its share of the row (scikit-learn's `normalize='true'`)
   * instead of its count.
   * @default false
   */
  normalize?: boolean;
  /** Chart title. @default 'Confusion matrix (counts)' or '… (row-normalised)' */
  title?: string;
  /** Side of a cell in pixels. @default 44 up to 8 classes, 30 up to 16, else 22 */
  cellSize?: number;
}

/**
 * A Vega-Lite heatmap of a confusion matrix: true classes down, predicted across (both in
 * `labels` order), each cell coloured and labelled with its count or, with `normalize`, its
 * share of the row.
 * @example
 * ```ts
 * import { confusionMatrixSpec } from '@seqlearn/report';
 * const cm = { labels: ['Czech', 'Greek', 'Irish'], matrix: [[3, 1, 0], [0, 2, 0], [1, 0, 1]] };
 * const spec = confusionMatrixSpec(cm, { normalize: true });
 * console.log(spec.title); // Confusion matrix (row-normalised)
 * ```
 * @throws {ReportError} `INVALID_ARGUMENT` for a matrix that is not square with one row per label.
 */
export function confusionMatrixSpec(
  cm: ConfusionMatrixData,
  { normalize = false, title, cellSize }: ConfusionMatrixSpecOptions = {},
): VegaLiteSpec {
  const values = confusionMatrixCells(cm);
  const k = cm.labels.length;
  const step = cellSize ?? (k <= 8 ? 44 : k <= 16 ? 30 : 22);
  const field = normalize ? 'rate' : 'count';
  const max = Math.max(...values.map((c) => c[field]));
  const sort = [...cm.labels];
  const layers: Record<string, unknown>[] = [
    {
      mark: { type: 'rect' },
      encoding: {
        color: {
          field,
          type: 'quantitative',
          title: normalize ? 'share of row' : 'count',
          scale: { scheme: 'blues', domain: [0, normalize ? 1 : Math.max(1, max)] },
        },
      },
    },
  ];
  if (k <= 20) {
    layers.push({
      // Empty cells stay blank, so the counts that matter stand out.
      transform: [{ filter: 'datum.count > 0' }],
      mark: { type: 'text', fontSize: step >= 30 ? 11 : 9 },
      encoding: {
        text: { field, type: 'quantitative', format: normalize ? '.2f' : 'd' },
        color: {
          condition: {
            test: `datum['${field}'] > ${(normalize ? 1 : Math.max(1, max)) * 0.55}`,
            value: 'white',
          },
          value: 'black',
        },
      },
    });
  }
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: title ?? `Confusion matrix (${normalize ? 'row-normalised' : 'counts'})`,
    width: { step },
    height: { step },
    data: { values },
    encoding: {
      x: {
        field: 'predicted',
        type: 'nominal',
        sort,
        title: 'predicted',
        axis: { labelAngle: -40 },
      },
      y: { field: 'true', type: 'nominal', sort, title: 'true' },
      tooltip: [
        { field: 'true', type: 'nominal' },
        { field: 'predicted', type: 'nominal' },
        { field: 'count', type: 'quantitative' },
        { field: 'rate', type: 'quantitative', title: 'share of row', format: '.3f' },
      ],
    },
    layer: layers,
  };
}
