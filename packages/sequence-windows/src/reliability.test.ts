import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  kFold,
  MinMaxScaler,
  minMaxScale,
  mulberry32,
  reshapeWindows,
  SequenceWindowsError,
  StandardScaler,
  shiftWindows,
  shuffle,
  standardize,
  statefulBatches,
  stratifiedSplit,
  timeseriesDataset,
  trainTestSplit,
} from './index';

/** Asserts that `fn` throws a SequenceWindowsError with `code` and `argument` whose message matches `message`. */
function expectError(fn: () => unknown, code: string, argument: string, message?: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(
    SequenceWindowsError.isInstance(caught),
    `expected a SequenceWindowsError, got ${caught}`,
  ).toBe(true);
  expect(caught).toMatchObject({ code, argument });
  if (message) expect((caught as Error).message).toMatch(message);
}

/** A seeded standard normal (Box-Muller over mulberry32). */
function normal(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

/**
 * A day of 10-minute sensor rows (144 steps): temperature (a daily cycle plus noise), a constant
 * calibration offset of 1e8 + 0.1, and a reading of the same offset that differs only in the last
 * bit from row to row (float rounding of sums taken in different orders), all seeded.
 */
function sensorRows(seed: number): number[][] {
  const rng = mulberry32(seed);
  const offset = 1e8 + 0.1;
  const nextUp = offset + 2 ** -26; // one ulp above, as (a + b) + c vs a + (b + c) can give
  expect(nextUp).not.toBe(offset);
  return Array.from({ length: 144 }, (_, t) => [
    18 + 6 * Math.sin((2 * Math.PI * t) / 144) + 0.5 * normal(rng),
    offset,
    rng() < 0.5 ? offset : nextUp,
  ]);
}

/** Population mean and standard deviation of the finite values, computed naively for reference. */
function reference(values: number[]): { mean: number; std: number } {
  const kept = values.filter((v) => !Number.isNaN(v));
  const mean = kept.reduce((a, b) => a + b, 0) / kept.length;
  const variance = kept.reduce((a, v) => a + (v - mean) ** 2, 0) / kept.length;
  return { mean, std: Math.sqrt(variance) };
}

describe('StandardScaler on nearly constant features (scikit-learn _is_constant_feature)', () => {
  it('should scale a constant 1e8 + 0.1 column and a last-bit-noise column by 1, not by float noise', () => {
    const rows = sensorRows(7);
    const scaler = standardize(rows);
    const scale = scaler.scale as number[];
    expect(scale[1]).toBe(1);
    expect(scale[2]).toBe(1);
    const temperature = reference(rows.map((r) => r[0]));
    expect(scale[0]).toBeCloseTo(temperature.std, 12);
    const out = scaler.transform(rows);
    for (const row of out) {
      // Centred, not blown up: (x - mean) / 1 is at most a few ulps of 1e8.
      expect(Math.abs(row[1])).toBeLessThan(1e-6);
      expect(Math.abs(row[2])).toBeLessThan(1e-6);
    }
    const z = reference(out.map((r) => r[0]));
    expect(z.mean).toBeCloseTo(0, 12);
    expect(z.std).toBeCloseTo(1, 12);
  });

  it('should still scale a real 0.1 spread around 1e8 by its standard deviation', () => {
    const rng = mulberry32(11);
    const column = Array.from({ length: 100 }, () => 1e8 + (rng() < 0.5 ? 0 : 0.1));
    const scaler = standardize(column);
    const { std } = reference(column);
    expect(std).toBeGreaterThan(0.04);
    expect((scaler.scale as number[])[0]).toBeCloseTo(std, 9);
  });

  it('should compute the variance stably in float64 for a large mean (two-pass)', () => {
    const rng = mulberry32(3);
    const column = Array.from({ length: 1000 }, () => 1e9 + normal(rng));
    const { std } = reference(column.map((v) => v - 1e9));
    expect((standardize(column).scale as number[])[0]).toBeCloseTo(std, 6);
  });
});

describe('scalers with NaN (missing values, as scikit-learn)', () => {
  const rng = mulberry32(21);
  const series = Array.from(
    { length: 96 },
    (_, t) => 12 + 3 * Math.sin((2 * Math.PI * t) / 48) + 0.2 * normal(rng),
  );
  const missing = [5, 17, 18, 60];
  const withGaps = series.map((v, t) => (missing.includes(t) ? Number.NaN : v));

  it('StandardScaler should fit on the non-NaN values and pass NaN through transform', () => {
    const scaler = standardize(withGaps);
    const { mean, std } = reference(withGaps);
    expect((scaler.mean as number[])[0]).toBeCloseTo(mean, 12);
    expect((scaler.scale as number[])[0]).toBeCloseTo(std, 12);
    const out = scaler.transform(withGaps);
    out.forEach((v, t) => {
      if (missing.includes(t)) expect(v).toBeNaN();
      else expect(v).toBeCloseTo((withGaps[t] - mean) / std, 10);
    });
    expect(scaler.inverseTransform(out)[17]).toBeNaN();
    // The fitted state stays finite, so it survives JSON.
    const copy = StandardScaler.fromJSON(JSON.stringify(scaler));
    expect(copy.transform([withGaps[0]])[0]).toBeCloseTo(out[0], 12);
  });

  it('MinMaxScaler should fit on the non-NaN values and pass NaN through transform', () => {
    const scaler = minMaxScale(withGaps.map((v) => [v]));
    const kept = withGaps.filter((v) => !Number.isNaN(v));
    expect(scaler.dataMin).toEqual([Math.min(...kept)]);
    expect(scaler.dataMax).toEqual([Math.max(...kept)]);
    expect(scaler.transform([[Number.NaN]])[0][0]).toBeNaN();
  });

  it('should refuse a feature that is NaN everywhere (INVALID_VALUE), naming the feature', () => {
    const rows = series.map((v) => [v, Number.NaN]);
    expectError(() => standardize(rows), 'INVALID_VALUE', 'x', /only NaN in feature 1/);
    expectError(() => minMaxScale(rows), 'INVALID_VALUE', 'x', /only NaN in feature 1/);
  });

  it('should refuse ±Infinity in fit and transform (INVALID_VALUE), naming the position', () => {
    const rows = series.map((v) => [v, v * 2]);
    rows[40][1] = Number.POSITIVE_INFINITY;
    expectError(() => standardize(rows), 'INVALID_VALUE', 'x', /Infinity at x\[40\]\[1\]/);
    expectError(() => minMaxScale(rows), 'INVALID_VALUE', 'x', /Infinity at x\[40\]\[1\]/);
    expectError(
      () => standardize(series).transform([1, Number.NEGATIVE_INFINITY]),
      'INVALID_VALUE',
      'x',
      /-Infinity at x\[1\]/,
    );
  });
});

describe('windows refuse NaN, ±Infinity and values beyond float32', () => {
  const rng = mulberry32(5);
  const clean = Array.from({ length: 60 }, (_, t) => Math.sin(t / 5) + 0.1 * normal(rng));
  const at = (t: number, v: number) => clean.map((x, i) => (i === t ? v : x));
  const bad: [string, number, RegExp][] = [
    ['NaN', Number.NaN, /got NaN at step 23 .*missing values/],
    ['Infinity', Number.POSITIVE_INFINITY, /got Infinity at step 23/],
    ['float32 overflow', 1e39, /got 1e\+39 at step 23 .*float32/],
    ['negative float32 overflow', -3.5e38, /got -3\.5e\+38 at step 23/],
  ];

  for (const [name, value, message] of bad) {
    it(`should throw INVALID_VALUE for ${name} in every windowing function`, () => {
      const series = at(23, value);
      expectError(() => reshapeWindows(series, { length: 5 }), 'INVALID_VALUE', 'series', message);
      expectError(() => shiftWindows(series, { length: 5 }), 'INVALID_VALUE', 'series', message);
      expectError(
        () => statefulBatches(series, { batchSize: 2, length: 5 }),
        'INVALID_VALUE',
        'series',
        message,
      );
      expectError(
        () => timeseriesDataset(series, null, { sequenceLength: 5 }),
        'INVALID_VALUE',
        'data',
        message,
      );
      expectError(
        () => timeseriesDataset(clean, series, { sequenceLength: 5 }),
        'INVALID_VALUE',
        'targets',
        message,
      );
    });
  }

  it('should name the step and feature of a multivariate series and check tensors too', () => {
    const rows = clean.map((v) => [v, v * 10]);
    rows[31][1] = Number.NaN;
    expectError(
      () => shiftWindows(rows, { length: 4, targetFeatures: [0] }),
      'INVALID_VALUE',
      'series',
      /NaN at step 31, feature 1/,
    );
    const tensor = tf.tensor2d(rows);
    expectError(
      () => reshapeWindows(tensor, { length: 4 }),
      'INVALID_VALUE',
      'series',
      /NaN at step 31, feature 1/,
    );
    tensor.dispose();
  });

  it('should keep the largest float32 and allow NaN outside the steps a timeseriesDataset reads', async () => {
    const { windows } = reshapeWindows(at(0, 3.4028234663852886e38), { length: 5 });
    expect(windows.dataSync()[0]).toBe(3.4028234663852886e38);
    windows.dispose();
    const tail = [...clean, Number.NaN, Number.NaN];
    const ds = timeseriesDataset(tail, null, { sequenceLength: 5, endIndex: clean.length });
    let batches = 0;
    await ds.forEachAsync((x) => {
      expect(Array.from(x.dataSync()).every(Number.isFinite)).toBe(true);
      x.dispose();
      batches++;
    });
    expect(batches).toBe(1);
  });
});

describe('scaler fromJSON refuses states it cannot use (BAD_JSON)', () => {
  const fitted = standardize(sensorRows(2).map((r) => [r[0]])).toJSON();

  it('StandardScaler: zero, negative or non-finite scale; negative var; bad lengths and fields', () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ scale: [0] }, 'scale', /positive scales.*got 0 at index 0/],
      [{ scale: [-2.5] }, 'scale', /got -2\.5 at index 0/],
      [{ scale: [Number.POSITIVE_INFINITY] }, 'scale', /finite numbers/],
      [{ scale: [null] }, 'scale', /finite numbers/], // what JSON.stringify writes for NaN
      [{ var: [-1] }, 'var', /variances >= 0/],
      [{ mean: [], var: [], scale: [] }, 'mean', /one or more finite numbers/],
      [{ mean: [1, 2], var: [1, 1], scale: [1] }, 'scale', /2 finite numbers/],
      [{ withMean: 'false' }, 'withMean', /true or false/],
      [{ nSamplesSeen: -3 }, 'nSamplesSeen', /non-negative integer/],
    ];
    for (const [patch, argument, message] of cases) {
      const json = { ...fitted, ...patch };
      expectError(() => StandardScaler.fromJSON(json as never), 'BAD_JSON', argument, message);
      expectError(
        () => StandardScaler.fromJSON(JSON.stringify(json)),
        'BAD_JSON',
        argument,
        message,
      );
    }
    expect(StandardScaler.fromJSON(fitted).toJSON()).toEqual(fitted);
  });

  it('MinMaxScaler: dataMin > dataMax, mismatched lengths, inverted featureRange, bad clip', () => {
    const good = minMaxScale([
      [0, 10],
      [4, 30],
    ]).toJSON();
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ dataMin: [0, 40] }, 'dataMax', /dataMin 40 > dataMax 30 at feature 1/],
      [{ dataMax: [4] }, 'dataMax', /2 finite numbers/],
      [{ dataMin: [], dataMax: [] }, 'dataMin', /one or more/],
      [{ featureRange: [1, -1] }, 'featureRange', /min < max/],
      [{ clip: 'yes' }, 'clip', /true or false/],
    ];
    for (const [patch, argument, message] of cases) {
      expectError(
        () => MinMaxScaler.fromJSON({ ...good, ...patch } as never),
        'BAD_JSON',
        argument,
        message,
      );
    }
    expect(MinMaxScaler.fromJSON(good).transform([[2, 20]])).toEqual([[0.5, 0.5]]);
  });
});

describe('stratifiedSplit refuses labels that are no classes', () => {
  const rng = mulberry32(13);
  const labels = Array.from({ length: 40 }, () => Math.floor(rng() * 3));

  it('should throw INVALID_VALUE for a NaN label, naming its index', () => {
    const withNaN = labels.map((v, i) => (i === 9 ? Number.NaN : v));
    expectError(
      () => stratifiedSplit(withNaN, { seed: 1 }),
      'INVALID_VALUE',
      'labels',
      /NaN at index 9/,
    );
    expectError(
      () => trainTestSplit(40, { stratify: withNaN, seed: 1 }),
      'INVALID_VALUE',
      'stratify',
      /NaN at index 9/,
    );
    const tensor = tf.tensor1d(withNaN);
    expectError(() => stratifiedSplit(tensor, { seed: 1 }), 'INVALID_VALUE', 'labels', /index 9/);
    tensor.dispose();
  });

  it('should throw INVALID_VALUE for fractional (continuous) labels and NaN in label rows', () => {
    const continuous = labels.map((v) => v + 0.5);
    expectError(
      () => stratifiedSplit(continuous, { seed: 1 }),
      'INVALID_VALUE',
      'labels',
      new RegExp(`got ${continuous[0]} at index 0`),
    );
    const oneHot: number[][] = labels.map((v) => [0, 1, 2].map((c) => (c === v ? 1 : 0)));
    oneHot[4] = [Number.NaN, 0, 0];
    expectError(
      () => stratifiedSplit(oneHot, { seed: 1 }),
      'INVALID_VALUE',
      'labels',
      /NaN at index 4, column 0/,
    );
    const ragged: number[][] = labels.map((v) => [0, 1, 2].map((c) => (c === v ? 1 : 0)));
    ragged[6] = [1, 0];
    expectError(
      () => stratifiedSplit(ragged, { seed: 1 }),
      'SHAPE_MISMATCH',
      'labels',
      /3 entries.*got 2 at index 6/,
    );
    // Integer, string and boolean labels still work.
    expect(stratifiedSplit(labels, { seed: 1 }).testIndices).toHaveLength(10);
  });
});

describe('public functions refuse wrong arguments with typed errors, not TypeErrors', () => {
  it('shuffle: null, undefined or a number as items; null options', () => {
    expectError(() => shuffle(null as never), 'INVALID_ARGUMENT', 'items', /got null/);
    expectError(() => shuffle(undefined as never), 'INVALID_ARGUMENT', 'items', /got undefined/);
    expectError(() => shuffle(5 as never, { seed: 1 }), 'INVALID_ARGUMENT', 'items', /got 5/);
    expectError(() => shuffle([1, 2], null as never), 'INVALID_ARGUMENT', 'options', /got null/);
  });

  it('seeds outside 32 bits are refused instead of aliasing another seed', () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    for (const seed of [2 ** 32 + 1, 2 ** 32, 2 ** 53, -(2 ** 31) - 1]) {
      expectError(() => shuffle(items, { seed }), 'INVALID_ARGUMENT', 'seed', /32-bit seed/);
      expectError(() => mulberry32(seed), 'INVALID_ARGUMENT', 'seed');
      expectError(() => kFold(20, { shuffle: true, seed }), 'INVALID_ARGUMENT', 'seed');
      expectError(() => trainTestSplit(20, { seed }), 'INVALID_ARGUMENT', 'seed');
    }
    expectError(() => mulberry32(undefined as never), 'INVALID_ARGUMENT', 'seed', /undefined/);
    // The edges of the range are accepted, and 1.5 is still refused.
    expect(shuffle(items, { seed: 2 ** 32 - 1 })).toHaveLength(20);
    expect(shuffle(items, { seed: -(2 ** 31) })).toHaveLength(20);
    expectError(() => shuffle(items, { seed: 1.5 }), 'INVALID_ARGUMENT', 'seed');
  });

  it('missing or null options, non-boolean flags, non-array featureRange / targetFeatures', () => {
    const series = Array.from({ length: 20 }, (_, i) => i);
    expectError(() => reshapeWindows(series, undefined as never), 'INVALID_ARGUMENT', 'options');
    expectError(() => shiftWindows(series, null as never), 'INVALID_ARGUMENT', 'options');
    expectError(() => statefulBatches(series, undefined as never), 'INVALID_ARGUMENT', 'options');
    expectError(
      () => timeseriesDataset(series, null, null as never),
      'INVALID_ARGUMENT',
      'options',
    );
    expectError(() => stratifiedSplit(null as never), 'INVALID_ARGUMENT', 'labels');
    expectError(() => standardize(series, null as never), 'INVALID_ARGUMENT', 'options');
    expectError(
      () => trainTestSplit(20, { shuffle: 'no' as never }),
      'INVALID_ARGUMENT',
      'shuffle',
    );
    expectError(() => kFold(20, { shuffle: 1 as never }), 'INVALID_ARGUMENT', 'shuffle');
    expectError(
      () => new StandardScaler({ withMean: 'false' as never }),
      'INVALID_ARGUMENT',
      'withMean',
    );
    expectError(
      () => new MinMaxScaler({ featureRange: null as never }),
      'INVALID_ARGUMENT',
      'featureRange',
    );
    expectError(
      () => shiftWindows(series, { length: 3, targetFeatures: 0 as never }),
      'INVALID_ARGUMENT',
      'targetFeatures',
    );
    // Already typed before, kept so: negative sizes and a zero batch size.
    expectError(() => reshapeWindows(series, { length: -3 }), 'INVALID_ARGUMENT', 'length');
    expectError(
      () => statefulBatches(series, { batchSize: 0, length: 2 }),
      'INVALID_ARGUMENT',
      'batchSize',
    );
  });
});

describe('scalers refuse values whose statistics overflow float64 (were NaN or wrong scales)', () => {
  it('StandardScaler: a mean that overflows (values near ±1.7e308) gave mean Infinity, scale NaN', () => {
    expectError(
      () => new StandardScaler().fit([[1.7e308], [1.7e308], [1]]),
      'INVALID_VALUE',
      'x',
      /feature 0 with values up to 1\.7e\+308 in magnitude, whose mean overflows/,
    );
    expectError(
      () => new StandardScaler().fit([[1.7e308], [-1.7e308], [1.7e308]]),
      'INVALID_VALUE',
      'x',
      /overflows/,
    );
  });

  it('StandardScaler: a variance that overflows was taken for a constant feature (scale 1)', () => {
    expectError(
      () =>
        new StandardScaler().fit([
          [0, 1e200],
          [1, -1e200],
        ]),
      'INVALID_VALUE',
      'x',
      /feature 1 with values up to 1e\+200 in magnitude, whose variance overflows/,
    );
    // large but representable values still fit, with their true spread
    const scaler = new StandardScaler().fit([[1e150], [-1e150]]);
    expect(scaler.scale?.[0]).toBeCloseTo(1e150, -140);
  });

  it('MinMaxScaler: a data range beyond float64 mapped every value to featureRange[0]', () => {
    expectError(
      () => new MinMaxScaler().fit([[1.7e308], [-1.7e308]]),
      'INVALID_VALUE',
      'x',
      /feature 0 from -1\.7e\+308 to 1\.7e\+308 \(a range of Infinity\)/,
    );
    expectError(
      () =>
        MinMaxScaler.fromJSON({
          kind: 'MinMaxScaler',
          featureRange: [0, 1],
          clip: false,
          dataMin: [-1.7e308],
          dataMax: [1.7e308],
        }),
      'BAD_JSON',
      'dataMax',
    );
  });

  it('MinMaxScaler: a featureRange whose span overflows gave NaN for every value', () => {
    expectError(
      () => new MinMaxScaler({ featureRange: [-1.7e308, 1.7e308] }),
      'INVALID_ARGUMENT',
      'featureRange',
    );
    expectError(
      () =>
        MinMaxScaler.fromJSON({
          kind: 'MinMaxScaler',
          featureRange: [-1.7e308, 1.7e308],
          clip: false,
          dataMin: [0],
          dataMax: [1],
        }),
      'BAD_JSON',
      'featureRange',
    );
    expect(
      new MinMaxScaler({ featureRange: [-1e307, 1e307] }).fit([[0], [2]]).transform([[1]]),
    ).toEqual([[0]]);
  });
});

describe('sample counts the splitters can allocate', () => {
  it('a count beyond the longest array is INVALID_ARGUMENT, not a RangeError', () => {
    expectError(
      () => trainTestSplit(1e12, { testSize: 0.5 }),
      'INVALID_ARGUMENT',
      'n',
      /at most 4294967295/,
    );
    expectError(() => kFold(2 ** 32, { nSplits: 2 }), 'INVALID_ARGUMENT', 'n');
  });

  it('an array-like with a length that is no count is refused (was used as it came)', () => {
    for (const length of [-5, 1.5, Number.NaN]) {
      expectError(
        () => trainTestSplit({ length } as unknown as number[], { testSize: 0.5 }),
        'INVALID_ARGUMENT',
        'n',
        /array-like object with a length/,
      );
    }
  });
});
