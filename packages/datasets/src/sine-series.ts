import { createRandom, normal } from './random';
import { checkInteger, checkNumber, type SeriesData, splitSeed } from './synthetic-helpers';

/** Internal: the settings of {@link sineSeries}, defaults already applied by the adapter. */
export interface SineSeriesSettings {
  length: number;
  period: number;
  amplitude: number;
  /** Decay rate per step; `undefined` for a plain sine (no envelope, not checked). */
  decay?: number;
  phase: number;
  noise: number;
  seed: number;
}

/**
 * Internal: the generator behind `sine` and `dampedSine`. Checks the settings (naming `dataset`
 * in the errors) and draws `amplitude · exp(-decay · t) · sin(2π t / period + phase) +
 * noise · N(0, 1)` for `t = 0 … length-1`, the noise seeded per split.
 * @throws {DatasetsError} `INVALID_ARGUMENT` for a length below 1, a period of 0 or less, a
 *   negative decay or noise, or a seed that is not an integer 0 … 2^32 - 1 (checked even
 *   without noise).
 */
export function sineSeries(
  dataset: string,
  split: string,
  splits: readonly string[],
  { length, period, amplitude, decay, phase, noise, seed }: SineSeriesSettings,
): SeriesData {
  checkInteger(dataset, 'length', length, 1);
  checkNumber(dataset, 'period', period, { min: 0, exclusive: true });
  checkNumber(dataset, 'amplitude', amplitude);
  if (decay !== undefined) checkNumber(dataset, 'decay', decay, { min: 0 });
  checkNumber(dataset, 'phase', phase);
  checkNumber(dataset, 'noise', noise, { min: 0 });
  const random = createRandom(splitSeed(dataset, seed, split, splits));
  const values = Array.from({ length }, (_, t) => {
    const envelope = decay === undefined ? amplitude : amplitude * Math.exp(-decay * t);
    const clean = envelope * Math.sin((2 * Math.PI * t) / period + phase);
    return noise > 0 ? clean + noise * normal(random) : clean;
  });
  return { split, values, records: values.map((value, t) => ({ t, value })) };
}
