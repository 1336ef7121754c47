import { DatasetsError } from './errors';
import { checkSeed } from './random';

/** One step of a synthetic series. */
export interface SeriesPoint {
  /** Step index, 0-based. */
  t: number;
  value: number;
}

/** What the series generators' `load` resolves to. */
export interface SeriesData {
  split: string;
  /** One record per step. */
  records: SeriesPoint[];
  /** The series values alone, `records[t].value`. */
  values: number[];
}

export function isSeriesPoint(value: unknown): value is SeriesPoint {
  if (typeof value !== 'object' || value === null) return false;
  const { t, value: v } = value as SeriesPoint;
  return Number.isInteger(t) && typeof v === 'number' && Number.isFinite(v);
}

export function checkInteger(dataset: string, argument: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new DatasetsError({
      code: 'INVALID_ARGUMENT',
      argument,
      message: `${dataset}: ${argument} must be an integer >= ${min}, got ${value}`,
    });
  }
}

export function checkNumber(
  dataset: string,
  argument: string,
  value: number,
  { min = -Infinity, exclusive = false } = {},
): void {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < min ||
    (exclusive && value === min)
  ) {
    throw new DatasetsError({
      code: 'INVALID_ARGUMENT',
      argument,
      message: `${dataset}: ${argument} must be a finite number ${exclusive ? '>' : '>='} ${min}, got ${value}`,
    });
  }
}

/**
 * Splits get independent, reproducible draws from one user seed. Every seeded generator derives
 * its seed here, so the seed is checked here ({@link checkSeed}: an integer 0 … 2^32 - 1,
 * `INVALID_ARGUMENT` naming `dataset` otherwise).
 */
export function splitSeed(
  dataset: string,
  seed: number,
  split: string,
  splits: readonly string[],
): number {
  checkSeed(seed, dataset);
  return (Math.imul(seed | 0, 0x9e3779b1) + splits.indexOf(split) * 0x85ebca6b) >>> 0;
}
