import {
  handleZeros,
  jsonNumbers,
  jsonObject,
  mapFeatures,
  notFitted,
  type Scaled,
  type ScalerInput,
  toFitData,
} from './scaler-data';

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
  /** Per-feature population variance (ddof 0) of the training data. */
  var: number[];
  /** Per-feature divisor: the standard deviation, with 1 for constant features. */
  scale: number[];
  /** Number of values per feature seen by `fit`. */
  nSamplesSeen: number;
}

/**
 * Per-feature standardisation, `(x - mean) / std`, as scikit-learn's `StandardScaler`: fit on the
 * training data only, then transform the training and the test data with the same statistics.
 * The feature axis is the last one; every other axis (examples, steps) is pooled. The standard
 * deviation is the population one (ddof 0); a constant feature gets a divisor of 1.
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

  constructor({ withMean = true, withStd = true }: StandardScalerOptions = {}) {
    this.withMean = withMean;
    this.withStd = withStd;
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
   * Computes the per-feature mean and standard deviation of `x` (the training data).
   * @throws {SequenceWindowsError} `INVALID_ARGUMENT` for empty data, `SHAPE_MISMATCH` for ragged rows.
   */
  fit(x: ScalerInput): this {
    const { values, features } = toFitData(x, 'x');
    const n = values.length / features;
    const mean = new Array<number>(features).fill(0);
    for (let i = 0; i < values.length; i++) mean[i % features] += values[i];
    for (let f = 0; f < features; f++) mean[f] /= n;
    const variance = new Array<number>(features).fill(0);
    for (let i = 0; i < values.length; i++) {
      const d = values[i] - mean[i % features];
      variance[i % features] += d * d;
    }
    for (let f = 0; f < features; f++) variance[f] /= n;
    this.stats = {
      mean,
      var: variance,
      scale: variance.map((v) => handleZeros(Math.sqrt(v))),
      nSamplesSeen: n,
    };
    return this;
  }

  /**
   * Standardises `x` with the fitted statistics; the result has the form and shape of `x`.
   * @throws {SequenceWindowsError} `NOT_FITTED` before `fit`, `SHAPE_MISMATCH` for another feature count.
   */
  transform<T extends ScalerInput>(x: T): Scaled<T> {
    return this.apply(x, (v, mean, scale) => (v - mean) / scale);
  }

  /** Undoes {@link StandardScaler.transform}: `x * std + mean`. */
  inverseTransform<T extends ScalerInput>(x: T): Scaled<T> {
    return this.apply(x, (v, mean, scale) => v * scale + mean);
  }

  /** `fit(x)` then `transform(x)`. */
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
   * @throws {SequenceWindowsError} `BAD_JSON` when fields are missing or malformed.
   */
  static fromJSON(json: StandardScalerJSON | string): StandardScaler {
    const obj = jsonObject(json, 'StandardScaler');
    const mean = jsonNumbers(obj.mean, 'mean');
    const scaler = new StandardScaler({
      withMean: obj.withMean !== false,
      withStd: obj.withStd !== false,
    });
    scaler.stats = {
      mean,
      var: jsonNumbers(obj.var, 'var', mean.length),
      scale: jsonNumbers(obj.scale, 'scale', mean.length),
      nSamplesSeen: typeof obj.nSamplesSeen === 'number' ? obj.nSamplesSeen : 0,
    };
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
 * @throws {SequenceWindowsError} `INVALID_ARGUMENT` for empty data, `SHAPE_MISMATCH` for ragged rows.
 */
export function standardize(
  train: ScalerInput,
  options: StandardScalerOptions = {},
): StandardScaler {
  return new StandardScaler(options).fit(train);
}
