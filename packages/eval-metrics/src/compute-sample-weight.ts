import { uniqueLabels } from './classification-input';
import { type ClassWeightSpec, classWeightArray } from './compute-class-weight';
import { EvalMetricsError } from './errors';
import { checkOptions } from './options';
import type { Label, LabelInput } from './tensor-like';
import { checkNotEmpty, toLabels, toNumbers } from './to-array';

/** Options for {@link computeSampleWeight}; names follow scikit-learn `compute_sample_weight`. */
export interface ComputeSampleWeightOptions {
  /**
   * Indices of the samples used for fitting (a bootstrap subsample): `'balanced'` weights are then
   * computed on `y[indices]`, and classes absent from the subsample weigh 0. Only with `'balanced'`.
   * @default all samples
   */
  indices?: ArrayLike<number>;
}

/**
 * The weight of each sample from its class, as scikit-learn's
 * `sklearn.utils.class_weight.compute_sample_weight` (single output): with `'balanced'`, a sample
 * of class `c` weighs `n_samples / (n_classes * count(c))`. Pass the result as `sampleWeight` to
 * the metrics here, or to tfjs `model.fit` through `sampleWeight` where supported.
 * @example
 * ```ts
 * import { computeSampleWeight } from '@seqlearn/eval-metrics';
 * console.log(computeSampleWeight('balanced', [0, 0, 0, 1])); // [0.6666666666666666, 0.6666666666666666, 0.6666666666666666, 2]
 * console.log(computeSampleWeight({ 1: 3 }, [0, 0, 0, 1])); // [1, 1, 1, 3]
 * ```
 * @throws {EvalMetricsError} `INVALID_ARGUMENT` (`indices` without `'balanced'`, an index out of
 * range), `UNKNOWN_LABEL` (a `classWeight` key that is no class), `EMPTY_INPUT`, `INVALID_VALUE`.
 * `INVALID_ARGUMENT` (argument `options`) for options that are not an object.
 */
export function computeSampleWeight(
  classWeight: ClassWeightSpec,
  y: LabelInput,
  options: ComputeSampleWeightOptions = {},
): number[] {
  checkOptions(options);
  const { indices } = options;
  const labels = toLabels(y, 'y');
  checkNotEmpty(labels, 'y');
  const classes = uniqueLabels(labels);
  if (indices === undefined) {
    const weights = classWeightArray(classWeight, classes, labels);
    const byClass = new Map<Label, number>(classes.map((c, i) => [c, weights[i]]));
    return labels.map((v) => byClass.get(v) as number);
  }
  if (classWeight !== 'balanced') {
    throw new EvalMetricsError({
      code: 'INVALID_ARGUMENT',
      argument: 'indices',
      message: `indices: only 'balanced' class weights can be computed on a subsample, got classWeight ${JSON.stringify(classWeight)}`,
    });
  }
  const idx = toNumbers(indices, 'indices');
  checkNotEmpty(idx, 'indices');
  const sub = idx.map((i, k) => {
    if (!Number.isInteger(i) || i < 0 || i >= labels.length) {
      throw new EvalMetricsError({
        code: 'INVALID_ARGUMENT',
        argument: 'indices',
        message: `indices: expected integers in [0, ${labels.length}), got ${i} at position ${k}`,
      });
    }
    return labels[i];
  });
  const subClasses = uniqueLabels(sub);
  const weights = classWeightArray('balanced', subClasses, sub);
  const byClass = new Map<Label, number>(subClasses.map((c, i) => [c, weights[i]]));
  return labels.map((v) => byClass.get(v) ?? 0);
}
