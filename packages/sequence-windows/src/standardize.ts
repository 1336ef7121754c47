import { SequenceWindowsError } from './errors';
import {
  badJson,
  jsonBoolean,
  jsonNumbers,
  jsonObject,
  mapFeatures,
  notFitted,
  type Scaled,
  type ScalerInput,
  toFitData,
} from './scaler-data';
import { checkBoolean, readOptions } from './validate';

/**
 * scikit-learn's `_is_constant_feature`: a variance this small relative to the mean is float
 * rounding noise, not spread (`var <= n * eps * var + (n * mean * eps)^2`).
 */
function isConstantFeature(variance: number, mean: number, n: number): boolean {
  const eps = Number.EPSILON;
  return variance <= n * eps * variance + (n * mean * eps) ** 2;
}

/** Options for {@link StandardScaler}; names and defaults follow scikit-learn `StandardScaler`. */
export interface StandardScalerOptions {
  /** Subtract the per-feature mean. @default true */
  withMean?: boolean;
  /** Divide by the per-feature standard deviation. @default true */
  withStd?: boolean;
}

/** The JSON form of a fitted {@link StandardScaler}. */
export interface StandardScalerJSON {
  kind: 'StandardScaler';
  withMean: boolean;
  withStd: boolean;
  /** Per-feature mean of the training data. */
  mean: number[];
  /** Per-feature population variance (ddof 0) of the training data, NaN left out. */
  var: number[];
  /** Per-feature divisor: the standard deviation, with 1 for constant features. */
  scale: number[];
  /** Number of samples (rows, NaN included) per feature seen by `fit`. */
  nSamplesSeen: number;
}

/**
 * Per-feature standardisation, `(x - mean) / std`, as scikit-learn's `StandardScaler`: fit on the
 * training data only, then transform the training and the test data with the same statistics.
 * The feature axis is the last one; every other axis (examples, steps) is pooled. The standard
 * deviation is the population one (ddof 0), computed in float64 in two passes; a constant feature
 * gets a divisor of 1, and so does a feature whose variance is float rounding noise relative to
 * its mean (scikit-learn's `_is_constant_feature`: `1e8 + 0.1` repeated is constant). NaN values
 * are missing values, as in scikit-learn: `fit` leaves them out of the mean and variance and
 * `transform` passes them through as NaN; a feature with nothing but NaN cannot be fitted
 * (`INVALID_VALUE`, where scikit-learn would give it a NaN mean and scale). ±Infinity is refused.
 *
 * @example
 * ```ts
 * import { StandardScaler } from '@seqlearn/sequence-windows';
 * const scaler = new StandardScaler().fit([[1, 10], [3, 30]]);
 * console.log(scaler.transform([[2, 50]])); // [ [ 0, 3 ] ]
 * const copy = StandardScaler.fromJSON(JSON.stringify(scaler));
 * console.log(copy.inverseTransform([[0, 3]])); // [ [ 2, 50 ] ]
 * ```
 */
export class StandardScaler {
  readonly withMean: boolean;
  readonly withStd: boolean;
  private stats?: { mean: number[]; var: number[]; scale: number[]; nSamplesSeen: number };

  /** @throws {SequenceWindowsError} `INVALID_ARGUMENT` for a non-boolean `withMean` or `withStd`. */
  constructor(options?: StandardScalerOptions) {
    const { withMean = true, withStd = true } = readOptions(options, '{ withMean, withStd }');
    this.withMean = checkBoolean(withMean, 'withMean') as boolean;
    this.withStd = checkBoolean(withStd, 'withStd') as boolean;
  }

  /** Per-feature means, once fitted. */
  get mean(): number[] | undefined {
    return this.stats?.mean.slice();
  }

  /** Per-feature divisors (standard deviations, 1 for constant features), once fitted. */
  get scale(): number[] | undefined {
    return this.stats?.scale.slice();
  }

  /**
   * Computes the per-feature mean and standard deviation of `x` (the training data), leaving NaN
   * out.
   * @throws {SequenceWindowsError} `INVALID_ARGUMENT` for empty data, `SHAPE_MISMATCH` for ragged
   * rows, `INVALID_VALUE` for ±Infinity, a feature that is NaN everywhere, or one whose mean or
   * variance overflows float64 (values beyond about 1e154).
   */
  fit(x: ScalerInput): this {
    const { values, features, counts } = toFitData(x, 'x');
    // Two passes in float64, with scikit-learn's correction term (`_incremental_mean_and_var`):
    // var = (sum(d^2) - sum(d)^2 / n) / n with d = x - mean, NaN left out.
    const mean = new Array<number>(features).fill(0);
    for (let i = 0; i < values.length; i++) {
      if (!Number.isNaN(values[i])) mean[i % features] += values[i];
    }
    for (let f = 0; f < features; f++) mean[f] /= counts[f];
    const squares = new Array<number>(features).fill(0);
    const correction = new Array<number>(features).fill(0);
    for (let i = 0; i < values.length; i++) {
      if (Number.isNaN(values[i])) continue;
      const d = values[i] - mean[i % features];
      squares[i % features] += d * d;
      correction[i % features] += d;
    }
    const variance = squares.map((s, f) =>
      Math.max(0, (s - (correction[f] * correction[f]) / counts[f]) / counts[f]),
    );
    // Values near ±1e308 overflow the sum (mean ±Infinity, variance NaN) and values beyond about
    // 1e154 the squares (variance Infinity, which the constant-feature bound below would take
    // for a constant feature, scale 1): either way every transformed value would be wrong.
    const overflow = mean.findIndex((m, f) => !Number.isFinite(m) || !Number.isFinite(variance[f]));
    if (overflow >= 0) {
      let largest = 0;
      for (let i = overflow; i < values.length; i += features) {
        if (Math.abs(values[i]) > largest) largest = Math.abs(values[i]);
      }
      throw new SequenceWindowsError({
        code: 'INVALID_VALUE',
        argument: 'x',
        message: `x: expected values whose mean and variance are finite in float64, got feature ${overflow} with values up to ${largest} in magnitude, whose ${Number.isFinite(mean[overflow]) ? 'variance' : 'mean'} overflows; rescale that feature first`,
      });
    }
    this.stats = {
      mean,
      var: variance,
      scale: variance.map((v, f) => (isConstantFeature(v, mean[f], counts[f]) ? 1 : Math.sqrt(v))),
      nSamplesSeen: values.length / features,
    };
    return this;
  }

  /**
   * Standardises `x` with the fitted statistics; the result has the form and shape of `x`. NaN
   * stays NaN.
   * @throws {SequenceWindowsError} `NOT_FITTED` before `fit`, `SHAPE_MISMATCH` for another feature
   * count, `INVALID_VALUE` for ±Infinity.
   */
  transform<T extends ScalerInput>(x: T): Scaled<T> {
    return this.apply(x, (v, mean, scale) => (v - mean) / scale);
  }

  /**
   * Undoes {@link StandardScaler.transform}: `x * std + mean`.
   * @throws {SequenceWindowsError} `NOT_FITTED` before `fit`, `SHAPE_MISMATCH` for another feature
   * count, `INVALID_VALUE` for ±Infinity.
   */
  inverseTransform<T extends ScalerInput>(x: T): Scaled<T> {
    return this.apply(x, (v, mean, scale) => v * scale + mean);
  }

  /**
   * `fit(x)` then `transform(x)`.
   * @throws {SequenceWindowsError} what {@link StandardScaler.fit} throws.
   */
  fitTransform<T extends ScalerInput>(x: T): Scaled<T> {
    return this.fit(x).transform(x);
  }

  private apply<T extends ScalerInput>(
    x: T,
    op: (v: number, mean: number, scale: number) => number,
  ): Scaled<T> {
    const stats = this.stats ?? notFitted('StandardScaler');
    return mapFeatures(x, 'x', stats.mean.length, (v, f) =>
      op(v, this.withMean ? stats.mean[f] : 0, this.withStd ? stats.scale[f] : 1),
    );
  }

  /** The fitted state as plain JSON (what `JSON.stringify(scaler)` writes). */
  toJSON(): StandardScalerJSON {
    const stats = this.stats ?? notFitted('StandardScaler');
    return {
      kind: 'StandardScaler',
      withMean: this.withMean,
      withStd: this.withStd,
      mean: stats.mean.slice(),
      var: stats.var.slice(),
      scale: stats.scale.slice(),
      nSamplesSeen: stats.nSamplesSeen,
    };
  }

  /**
   * Reads back a scaler written by {@link StandardScaler.toJSON} (the object or its JSON text).
   * @throws {SequenceWindowsError} `BAD_JSON` when fields are missing or malformed: `mean`, `var`
   * and `scale` must be arrays of one finite number per feature (the same length), `var` >= 0,
   * `scale` > 0 (a divisor), `withMean` / `withStd` booleans and `nSamplesSeen` a non-negative
   * integer when present.
   */
  static fromJSON(json: StandardScalerJSON | string): StandardScaler {
    const obj = jsonObject(json, 'StandardScaler');
    const mean = jsonNumbers(obj.mean, 'mean');
    const variance = jsonNumbers(obj.var, 'var', mean.length, {
      test: (v) => v >= 0,
      what: 'variances >= 0',
    });
    const scale = jsonNumbers(obj.scale, 'scale', mean.length, {
      test: (v) => v > 0,
      what: 'positive scales (each feature is divided by its scale)',
    });
    const nSamplesSeen = obj.nSamplesSeen ?? 0;
    if (typeof nSamplesSeen !== 'number' || !Number.isInteger(nSamplesSeen) || nSamplesSeen < 0) {
      badJson(
        'nSamplesSeen',
        `expected a non-negative integer, got ${JSON.stringify(nSamplesSeen)}`,
      );
    }
    const scaler = new StandardScaler({
      withMean: jsonBoolean(obj.withMean, 'withMean') ?? true,
      withStd: jsonBoolean(obj.withStd, 'withStd') ?? true,
    });
    scaler.stats = { mean, var: variance, scale, nSamplesSeen };
    return scaler;
  }
}

/**
 * Fits a {@link StandardScaler} on training data: shorthand for `new StandardScaler(options).fit(train)`.
 * Apply the returned scaler to the training and the test data alike.
 *
 * @example
 * ```ts
 * import { standardize } from '@seqlearn/sequence-windows';
 * const scaler = standardize([0, 2, 4, 6]); // fitted on the training series only
 * console.log(scaler.transform([8])); // [ 2.23606797749979 ]   (mean 3, std sqrt(5))
 * ```
 * @throws {SequenceWindowsError} `INVALID_ARGUMENT` for empty data or bad options,
 * `SHAPE_MISMATCH` for ragged rows, `INVALID_VALUE` for ±Infinity, a feature that is NaN everywhere
 * or one whose mean or variance overflows float64.
 */
export function standardize(train: ScalerInput, options?: StandardScalerOptions): StandardScaler {
  return new StandardScaler(options).fit(train);
}
