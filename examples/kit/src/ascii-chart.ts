/** One line of an {@link asciiChart}. */
export interface ChartSeries {
  /** Name shown in the legend. */
  label: string;
  values: readonly number[];
  /** Character drawn for this series. @default '*', '+', 'o', 'x'... by position */
  symbol?: string;
}

/** Options for {@link asciiChart}. */
export interface AsciiChartOptions {
  /** Rows of the plot area. @default 15 */
  height?: number;
  /** Columns of the plot area; longer series are sampled evenly. @default the longest series, at most 100 */
  width?: number;
  /** Column at which to draw a `|` divider (e.g. where generation starts), in series steps. @default none */
  marker?: number;
}

const SYMBOLS = ['*', '+', 'o', 'x', '#', '@'];

/**
 * Plots one or more series as text, for a terminal or a markdown code block: a y-axis with the
 * minimum and maximum, one character per column, a legend below. Where two series fall on the
 * same cell the later one is drawn. NaN values are skipped.
 * @example
 * ```ts
 * import { asciiChart } from '@seqlearn/example-kit';
 * const values = Array.from({ length: 40 }, (_, t) => Math.sin(t / 3));
 * console.log(asciiChart([{ label: 'sine', values }], { height: 5 }));
 * ```
 */
export function asciiChart(
  series: readonly ChartSeries[],
  { height = 15, width, marker }: AsciiChartOptions = {},
): string {
  if (!Number.isInteger(height) || height < 2) {
    throw new Error(`asciiChart: height: expected an integer >= 2, got ${height}`);
  }
  const longest = Math.max(0, ...series.map((s) => s.values.length));
  const cols = width ?? Math.min(longest, 100);
  if (!Number.isInteger(cols) || cols < 1) {
    throw new Error(`asciiChart: width: expected a positive integer, got ${cols}`);
  }
  const finite = series.flatMap((s) => s.values.filter((v) => Number.isFinite(v)));
  if (finite.length === 0) return '(no data)\n';
  let min = Math.min(...finite);
  let max = Math.max(...finite);
  if (min === max) {
    min -= 1;
    max += 1;
  }
  const grid = Array.from({ length: height }, () => new Array<string>(cols).fill(' '));
  const colOf = (step: number) => Math.min(cols - 1, Math.floor((step * cols) / longest));
  if (marker !== undefined && marker >= 0 && marker < longest) {
    for (const row of grid) row[colOf(marker)] = '|';
  }
  series.forEach((s, k) => {
    const symbol = s.symbol ?? SYMBOLS[k % SYMBOLS.length];
    for (let c = 0; c < cols; c++) {
      const step = Math.floor((c * longest) / cols);
      const v = s.values[step];
      if (v === undefined || !Number.isFinite(v)) continue;
      const row = Math.round(((max - v) / (max - min)) * (height - 1));
      grid[row][c] = symbol;
    }
  });
  const top = max.toPrecision(3);
  const bottom = min.toPrecision(3);
  const pad = Math.max(top.length, bottom.length);
  const lines = grid.map((row, r) => {
    const label = r === 0 ? top : r === height - 1 ? bottom : '';
    return `${label.padStart(pad)} |${row.join('').trimEnd()}`;
  });
  lines.push(`${' '.repeat(pad)} +${'-'.repeat(cols)}`);
  lines.push(
    series.map((s, k) => `${s.symbol ?? SYMBOLS[k % SYMBOLS.length]} ${s.label}`).join('   '),
  );
  return `${lines.join('\n')}\n`;
}
