import { TextPreprocessError } from './errors';
import { checkIterable, invalid, isIterable, show } from './validate';

/** Options for {@link lengthStats}. */
export interface LengthStatsOptions {
  /** Percentiles to report, each in [0, 100]. @default [50, 90, 95, 99] */
  percentiles?: readonly number[];
}

/** What {@link lengthStats} returns. */
export interface LengthStats {
  count: number;
  min: number;
  max: number;
  mean: number;
  /** Population standard deviation (numpy's `std` default, `ddof=0`). */
  std: number;
  /** Percentile → length, interpolated linearly as numpy's `percentile` default does. */
  percentiles: Record<number, number>;
}

/**
 * Summarises sequence lengths to help choose `maxlen`: count, min, max, mean, standard deviation
 * and percentiles (numpy `percentile` with its default linear interpolation).
 * @example
 * ```ts
 * import { lengthStats } from '@seqlearn/text-preprocess';
 * console.log(lengthStats([[1], [1, 2], [1, 2, 3], [1, 2, 3, 4]], { percentiles: [50, 90] }));
 * // { count: 4, min: 1, max: 4, mean: 2.5, std: 1.118033988749895, percentiles: { '50': 2.5, '90': 3.7 } }
 * ```
 * @throws {TextPreprocessError} `INVALID_ARGUMENT` for no sequences, an item that is neither a
 *   sequence nor a non-negative integer length (named as `sequences[i]`), or a percentile
 *   outside [0, 100].
 */
export function lengthStats(
  sequences: Iterable<{ readonly length: number } | number>,
  { percentiles = [50, 90, 95, 99] }: LengthStatsOptions = {},
): LengthStats {
  checkIterable(sequences, 'sequences', 'an iterable of sequences or lengths');
  if (typeof percentiles !== 'object' || percentiles === null || !isIterable(percentiles)) {
    throw invalid(
      'percentiles',
      `percentiles: expected an array of numbers, got ${show(percentiles)}`,
    );
  }
  const lengths = Array.from(sequences as Iterable<unknown>, (s, i) => {
    const length =
      typeof s === 'number'
        ? s
        : (typeof s === 'object' && s !== null) || typeof s === 'string'
          ? (s as { length?: unknown }).length
          : undefined;
    if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0) {
      throw invalid(
        'sequences',
        `sequences[${i}]: expected a sequence or a non-negative integer length, got ${show(s)}`,
      );
    }
    return length;
  });
  if (lengths.length === 0) {
    throw new TextPreprocessError({
      code: 'INVALID_ARGUMENT',
      argument: 'sequences',
      message: 'sequences: expected at least one sequence, got none',
    });
  }
  for (const p of percentiles) {
    if (typeof p !== 'number' || !(p >= 0 && p <= 100)) {
      throw new TextPreprocessError({
        code: 'INVALID_ARGUMENT',
        argument: 'percentiles',
        message: `percentiles: expected numbers in [0, 100], got ${String(p)}`,
      });
    }
  }
  const sorted = Float64Array.from(lengths).sort();
  const n = sorted.length;
  let sum = 0;
  for (const l of sorted) sum += l;
  const mean = sum / n;
  let squares = 0;
  for (const l of sorted) squares += (l - mean) ** 2;
  const result: Record<number, number> = {};
  for (const p of percentiles) {
    const rank = (p / 100) * (n - 1);
    const lo = Math.floor(rank);
    const hi = Math.min(lo + 1, n - 1);
    const t = rank - lo;
    const diff = sorted[hi] - sorted[lo];
    // numpy's _lerp, which interpolates from the nearer end
    result[p] = t >= 0.5 ? sorted[hi] - diff * (1 - t) : sorted[lo] + diff * t;
  }
  return {
    count: n,
    min: sorted[0],
    max: sorted[n - 1],
    mean,
    std: Math.sqrt(squares / n),
    percentiles: result,
  };
}
