import { dampedSine, powerSeries } from '@seqlearn/datasets';
import { StandardScaler } from '@seqlearn/sequence-windows';

/** The two regression series of the example. */
export type SeriesName = 'dampedSine' | 'power';

/** A series ready for windowing: scaled rows, the target column, and a chronological split. */
export interface PreparedSeries {
  name: SeriesName;
  /** What the series is and how it was generated. */
  description: string;
  /** Standardized rows `[steps][features]`; feature 0 is the target. */
  rows: number[][];
  featureNames: string[];
  /** The target in its own units, one value per step. */
  target: number[];
  /** Train is `[0, trainEnd)`, validation `[trainEnd, valEnd)`, test `[valEnd, steps)`. */
  trainEnd: number;
  valEnd: number;
  /** Undo the scaling of the target column. */
  unscale: (v: number) => number;
  unit: string;
}

/** Lengths of the series: full runs and `--quick`. */
export const SERIES_STEPS = {
  full: { dampedSine: 1200, power: 24 * 7 * 8 },
  quick: { dampedSine: 300, power: 24 * 7 * 2 },
} as const;

/**
 * Loads a series and prepares it: the damped sine alone (one feature), or the hourly power with
 * temperature and the hour of day as a sine/cosine pair and a weekend flag (five features,
 * power first). Splits 70/15/15 in time order and standardizes with statistics of the training
 * part only.
 */
export async function prepareSeries(
  name: SeriesName,
  { steps, seed }: { steps: number; seed: number },
): Promise<PreparedSeries> {
  let raw: number[][];
  let featureNames: string[];
  let description: string;
  let unit: string;
  if (name === 'dampedSine') {
    const params = { length: steps, period: 50, decay: 0.002, noise: 0.02, seed };
    const { values } = await dampedSine.load(params);
    raw = values.map((v) => [v]);
    featureNames = ['value'];
    description = `dampedSine ${JSON.stringify(params)}: exp(-0.002 t)·sin(2πt/50) + N(0, 0.02²)`;
    unit = '';
  } else {
    const { records } = await powerSeries.load({ hours: steps, seed });
    raw = records.map((r) => [
      r.power,
      r.temperature,
      Math.sin((2 * Math.PI * r.hour) / 24),
      Math.cos((2 * Math.PI * r.hour) / 24),
      r.dayOfWeek >= 5 ? 1 : 0,
    ]);
    featureNames = ['power', 'temperature', 'hourSin', 'hourCos', 'weekend'];
    description = `powerSeries { hours: ${steps}, seed: ${seed} }: hourly kW with temperature, hour of day and weekend as inputs`;
    unit = ' kW';
  }
  const trainEnd = Math.round(steps * 0.7);
  const valEnd = Math.round(steps * 0.85);
  const scaler = new StandardScaler().fit(raw.slice(0, trainEnd));
  const rows = scaler.transform(raw) as number[][];
  const [mean] = scaler.mean as number[];
  const [scale] = scaler.scale as number[];
  return {
    name,
    description,
    rows,
    featureNames,
    target: raw.map((r) => r[0]),
    trainEnd,
    valEnd,
    unscale: (v) => v * scale + mean,
    unit,
  };
}
