import { EvalMetricsError } from './errors';
import { checkOptions } from './options';
import { formatFixed } from './python-format';

/** Options for {@link formatConfusionMatrix}. */
export interface FormatConfusionMatrixOptions {
  /** Display name of each class, in row (and column) order. @default '0', '1', … */
  labels?: readonly (string | number)[];
  /** Digits after the decimal point for non-integer entries (normalized matrices). @default 2 */
  digits?: number;
  /**
   * Cut column headers to this many characters, to keep wide tables narrow (row names stay whole).
   * @default no limit
   */
  maxHeaderLength?: number;
}

/**
 * Renders a confusion matrix as an aligned text table: one row per true class, one column per
 * predicted class, the class names down the left and across the top.
 * @example
 * ```ts
 * import { confusionMatrix, formatConfusionMatrix } from '@seqlearn/eval-metrics';
 * const m = confusionMatrix([0, 1, 1, 2], [0, 1, 2, 2]);
 * console.log(formatConfusionMatrix(m, { labels: ['Czech', 'German', 'Greek'] }));
 * // true\pred  Czech  German  Greek
 * // Czech          1       0      0
 * // German         0       1      1
 * // Greek          0       0      1
 * ```
 * @throws {EvalMetricsError} `INVALID_ARGUMENT` when the matrix is not a square array of rows,
 * `labels` has the wrong length or `digits` is not an integer in [0, 100], `INVALID_VALUE` for an
 * entry that is not a number.
 * `INVALID_ARGUMENT` (argument `options`) for options that are not an object.
 */
export function formatConfusionMatrix(
  matrix: readonly (readonly number[])[],
  options: FormatConfusionMatrixOptions = {},
): string {
  checkOptions(options);
  const { labels, digits = 2, maxHeaderLength = Number.POSITIVE_INFINITY } = options;
  if (!Array.isArray(matrix) || !matrix.every((row) => Array.isArray(row))) {
    throw new EvalMetricsError({
      code: 'INVALID_ARGUMENT',
      argument: 'matrix',
      message: `matrix: expected a square array of rows of numbers (what confusionMatrix returns), got ${matrix === null ? 'null' : Array.isArray(matrix) ? 'an array with a row that is not an array' : typeof matrix}`,
    });
  }
  const n = matrix.length;
  if (matrix.some((row) => row.length !== n)) {
    throw new EvalMetricsError({
      code: 'INVALID_ARGUMENT',
      argument: 'matrix',
      message: `matrix: expected a square matrix [${n}, ${n}], got rows of lengths ${JSON.stringify(matrix.map((r) => r.length))}`,
    });
  }
  if (labels !== undefined && labels.length !== n) {
    throw new EvalMetricsError({
      code: 'INVALID_ARGUMENT',
      argument: 'labels',
      message: `labels: expected ${n} names, one per row of the matrix, got ${labels.length}`,
    });
  }
  // toFixed takes at most 100 digits: more was a RangeError
  if (!Number.isInteger(digits) || digits < 0 || digits > 100) {
    throw new EvalMetricsError({
      code: 'INVALID_ARGUMENT',
      argument: 'digits',
      message: `digits: expected an integer in [0, 100], got ${digits}`,
    });
  }
  matrix.forEach((row, i) => {
    row.forEach((v, j) => {
      if (typeof v !== 'number') {
        throw new EvalMetricsError({
          code: 'INVALID_VALUE',
          argument: 'matrix',
          message: `matrix: expected numbers, got ${v === null ? 'null' : typeof v} at [${i}][${j}]`,
        });
      }
    });
  });
  const names = (labels ?? matrix.map((_, i) => i)).map(String);
  const headers = names.map((name) => name.slice(0, maxHeaderLength));
  const integral = matrix.every((row) => row.every((v) => Number.isInteger(v)));
  const cells = matrix.map((row) =>
    row.map((v) => (integral ? String(v) : formatFixed(v, digits))),
  );
  const corner = 'true\\pred';
  const rowWidth = Math.max(corner.length, ...names.map((s) => s.length));
  const widths = headers.map((h, j) => Math.max(h.length, ...cells.map((row) => row[j].length)));
  const line = (first: string, rest: string[]) =>
    [first.padEnd(rowWidth), ...rest.map((s, j) => s.padStart(widths[j]))].join('  ').trimEnd();
  return [line(corner, headers), ...cells.map((row, i) => line(names[i], row))].join('\n');
}
