const BLOCKS = '▁▂▃▄▅▆▇█';

/** Options for {@link sparkline}. */
export interface SparklineOptions {
  /** Value drawn as the lowest block; share it between lines to compare them. @default min of values */
  min?: number;
  /** Value drawn as the highest block. @default max of values */
  max?: number;
}

/**
 * One line of Unicode blocks (`▁▂▃▄▅▆▇█`), one per value, scaled between `min` and `max`; values
 * that are not finite become a space. Pass the same `min`/`max` to lines that should share a
 * scale (true vs predicted).
 * @example
 * ```ts
 * import { sparkline } from '@seqlearn/example-kit';
 * console.log(sparkline([0, 1, 2, 3, 4, 5, 6, 7])); // ▁▂▃▄▅▆▇█
 * ```
 */
export function sparkline(values: readonly number[], options: SparklineOptions = {}): string {
  const finite = values.filter(Number.isFinite);
  const min = options.min ?? Math.min(...finite);
  const max = options.max ?? Math.max(...finite);
  const span = max - min;
  return values
    .map((v) => {
      if (!Number.isFinite(v)) return ' ';
      const level = span > 0 ? Math.round(((v - min) / span) * (BLOCKS.length - 1)) : 0;
      return BLOCKS[Math.min(BLOCKS.length - 1, Math.max(0, level))];
    })
    .join('');
}
