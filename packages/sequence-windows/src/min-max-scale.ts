import { SequenceWindowsError } from './errors';
import {
  badJson,
  handleZeros,
  jsonBoolean,
  jsonNumbers,
  jsonObject,
  mapFeatures,
  notFitted,
  type Scaled,
  type ScalerInput,
  toFitData,
} from './scaler-data';
import { checkBoolean, describe, readOptions } from './validate';

/** Options for {@link MinMaxScaler}; names and defaults follow scikit-learn `MinMaxScaler`. */
export interface MinMaxScalerOptions {
  /** Target range of the training data's per-feature minimum and maximum. @default [0, 1] */
  featureRange?: readonly [number, number];
  /** Clip transformed values into `featureRange` (test data can fall outside it). @default false */
  clip?: boolean;
}

/** The JSON form of a fitted {@link MinMaxScaler}. */
export interface MinMaxScalerJSON {
  kind: 'MinMaxScaler';
  featureRange: [number, number];
  clip: boolean;
  /** Per-feature minimum of the training data. */
  dataMin: number[];
  /** Per-feature maximum of the training data. */
  dataMax: number[];
}

/**
 * Per-feature scaling of the training data's range onto `featureRange`, as scikit-learn's
 * `MinMaxScaler`: `x * scale + min` with `scale = (hi - lo) / (dataMax - dataMin)` and
 * `min = lo - dataMin * scale`. Fit on the training data only, then transform training and test
 * data. The feature axis is the last one; a constant feature gets a range of 1. NaN values are
 * missing values, as in scikit-learn: `fit` leaves them out of the minimum and maximum and
 * `transform` passes them through; a feature with nothing but NaN cannot be fitted
 * (`INVALID_VALUE`). ±Infinity is refused.
 *
 * @example
 * ```ts
 * import { MinMaxScaler } from '@seqlearn/sequence-windows';
 * const scaler = new MinMaxScaler().fit([[0, 10], [4, 20]]);
 * console.log(scaler.transform([[2, 25]])); // [ [ 0.5, 1.5 ] ]
 * ```
 */
export class MinMaxScaler {
  readonly featureRange: readonly [number, number];
  readonly clip: boolean;
  private stats?: { dataMin: number[]; dataMax: number[]; scale: number[]; min: number[] };

  /**
   * @throws {SequenceWindowsError} `INVALID_ARGUMENT` unless `featureRange` is `[min, max]` with
   * finite `min < max` and a finite `max - min`, or for a non-boolean `clip`.
   */
  constructor(options?: MinMaxScalerOptions) {
    const { featureRange = [0, 1], clip = false } = readOptions(options, '{ featureRange, clip }');
    if (!Array.isArray(featureRange) || featureRange.length !== 2) {
      throw new SequenceWindowsError({
        code: 'INVALID_ARGUMENT',
        argument: 'featureRange',
        message: `featureRange: expected [min, max] with min < max, got ${describe(featureRange)}`,
      });
    }
    const [lo, hi] = featureRange;
    // hi - lo must stay finite too: [-1.7e308, 1.7e308] would scale every value to NaN
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi && Number.isFinite(hi - lo))) {
      throw new SequenceWindowsError({
        code: 'INVALID_ARGUMENT',
        argument: 'featureRange',
        message: `featureRange: expected [min, max] with min < max, got [${lo}, ${hi}]`,
      });
    }
    this.featureRange = [lo, hi];
    this.clip = checkBoolean(clip, 'clip') as boolean;
  }

  /** Per-feature minima of the training data, once fitted. */
  get dataMin(): number[] | undefined {
    return this.stats?.dataMin.slice();
  }

  /** Per-feature maxima of the training data, once fitted. */
  get dataMax(): number[] | undefined {
    return this.stats?.dataMax.slice();
  }

  /**
   * Records the per-feature minimum and maximum of `x` (the training data), leaving NaN out.
   * @throws {SequenceWindowsError} `INVALID_ARGUMENT` for empty data, `SHAPE_MISMATCH` for ragged
   * rows, `INVALID_VALUE` for ±Infinity, a feature that is NaN everywhere, or one whose range
   * `dataMax - dataMin` float64 cannot scale onto `featureRange` (it overflows, as from -1e308 to
   * 1e308).
   */
  fit(x: ScalerInput): this {
    const { values, features } = toFitData(x, 'x');
    const dataMin = new Array<number>(features).fill(Number.POSITIVE_INFINITY);
    const dataMax = new Array<number>(features).fill(Number.NEGATIVE_INFINITY);
    for (let i = 0; i < values.length; i++) {
      const f = i % features;
      // NaN compares false both ways, so it never becomes a minimum or maximum (numpy's nanmin).
      if (values[i] < dataMin[f]) dataMin[f] = values[i];
      if (values[i] > dataMax[f]) dataMax[f] = values[i];
    }
    this.setStats(dataMin, dataMax, (f, range) => {
      throw new SequenceWindowsError({
        code: 'INVALID_VALUE',
        argument: 'x',
        message: `x: expected a feature range that float64 can scale onto [${this.featureRange[0]}, ${this.featureRange[1]}], got feature ${f} from ${dataMin[f]} to ${dataMax[f]} (a range of ${range}); rescale that feature first`,
      });
    });
    return this;
  }

  private setStats(
    dataMin: number[],
    dataMax: number[],
    overflow: (feature: number, range: number) => never,
  ): void {
    const [lo, hi] = this.featureRange;
    const scale = dataMin.map((m, f) => (hi - lo) / handleZeros(dataMax[f] - m));
    const min = dataMin.map((m, f) => lo - m * scale[f]);
    // A range beyond float64 (-1.7e308 to 1.7e308) gives a scale of 0 (every value would map to
    // featureRange[0]), a tiny range in a huge featureRange an infinite one (NaN out).
    const bad = scale.findIndex(
      (k, f) => !(Number.isFinite(k) && k > 0 && Number.isFinite(min[f])),
    );
    if (bad >= 0) overflow(bad, dataMax[bad] - dataMin[bad]);
    this.stats = { dataMin, dataMax, scale, min };
  }

  /**
   * Scales `x` with the fitted range; the result has the form and shape of `x`. NaN stays NaN.
   * @throws {SequenceWindowsError} `NOT_FITTED` before `fit`, `SHAPE_MISMATCH` for another feature
   * count, `INVALID_VALUE` for ±Infinity.
   */
  transform<T extends ScalerInput>(x: T): Scaled<T> {
    const [lo, hi] = this.featureRange;
    return this.apply(x, (v, scale, min) => {
      const out = v * scale + min;
      return this.clip ? Math.min(hi, Math.max(lo, out)) : out;
    });
  }

  /**
   * Undoes {@link MinMaxScaler.transform}: `(x - min) / scale`.
   * @throws {SequenceWindowsError} `NOT_FITTED` before `fit`, `SHAPE_MISMATCH` for another feature
   * count, `INVALID_VALUE` for ±Infinity.
   */
  inverseTransform<T extends ScalerInput>(x: T): Scaled<T> {
    return this.apply(x, (v, scale, min) => (v - min) / scale);
  }

  /**
   * `fit(x)` then `transform(x)`.
   * @throws {SequenceWindowsError} what {@link MinMaxScaler.fit} throws.
   */
  fitTransform<T extends ScalerInput>(x: T): Scaled<T> {
    return this.fit(x).transform(x);
  }

  private apply<T extends ScalerInput>(
    x: T,
    op: (v: number, scale: number, min: number) => number,
  ): Scaled<T> {
    const stats = this.stats ?? notFitted('MinMaxScaler');
    return mapFeatures(x, 'x', stats.scale.length, (v, f) => op(v, stats.scale[f], stats.min[f]));
  }

  /** The fitted state as plain JSON (what `JSON.stringify(scaler)` writes). */
  toJSON(): MinMaxScalerJSON {
    const stats = this.stats ?? notFitted('MinMaxScaler');
    return {
      kind: 'MinMaxScaler',
      featureRange: [this.featureRange[0], this.featureRange[1]],
      clip: this.clip,
      dataMin: stats.dataMin.slice(),
      dataMax: stats.dataMax.slice(),
    };
  }

  /**
   * Reads back a scaler written by {@link MinMaxScaler.toJSON} (the object or its JSON text).
   * @throws {SequenceWindowsError} `BAD_JSON` when fields are missing or malformed: `featureRange`
   * must be `[min, max]` with `min < max`, `dataMin` and `dataMax` arrays of one finite number per
   * feature (the same length) with `dataMin[f] <= dataMax[f]` and a range float64 can scale, `clip`
   * a boolean when present.
   */
  static fromJSON(json: MinMaxScalerJSON | string): MinMaxScaler {
    const obj = jsonObject(json, 'MinMaxScaler');
    const range = jsonNumbers(obj.featureRange, 'featureRange', 2);
    if (!(range[0] < range[1] && Number.isFinite(range[1] - range[0]))) {
      badJson('featureRange', `expected [min, max] with min < max, got [${range[0]}, ${range[1]}]`);
    }
    const dataMin = jsonNumbers(obj.dataMin, 'dataMin');
    const dataMax = jsonNumbers(obj.dataMax, 'dataMax', dataMin.length);
    const crossed = dataMin.findIndex((m, f) => !(m <= dataMax[f]));
    if (crossed >= 0) {
      badJson(
        'dataMax',
        `expected dataMin <= dataMax for every feature, got dataMin ${dataMin[crossed]} > dataMax ${dataMax[crossed]} at feature ${crossed}`,
      );
    }
    const scaler = new MinMaxScaler({
      featureRange: [range[0], range[1]],
      clip: jsonBoolean(obj.clip, 'clip') ?? false,
    });
    scaler.setStats(dataMin, dataMax, (f, range) =>
      badJson(
        'dataMax',
        `expected a range dataMax - dataMin that float64 can scale onto featureRange, got ${range} at feature ${f}`,
      ),
    );
    return scaler;
  }
}

/**
 * Fits a {@link MinMaxScaler} on training data: shorthand for `new MinMaxScaler(options).fit(train)`.
 * Apply the returned scaler to the training and the test data alike.
 *
 * @example
 * ```ts
 * import { minMaxScale } from '@seqlearn/sequence-windows';
 * const scaler = minMaxScale([10, 20, 30]);
 * console.log(scaler.transform([15, 40])); // [ 0.25, 1.5 ]
 * ```
 * @throws {SequenceWindowsError} `INVALID_ARGUMENT` for empty data or a bad `featureRange`,
 * `SHAPE_MISMATCH` for ragged rows, `INVALID_VALUE` for ±Infinity, a feature that is NaN everywhere
 * or one whose range overflows float64.
 */
export function minMaxScale(train: ScalerInput, options?: MinMaxScalerOptions): MinMaxScaler {
  return new MinMaxScaler(options).fit(train);
}
