import { checkSameKind, indexLabels, readLabelsOption } from './classification-input';
import { EvalMetricsError } from './errors';
import type { Label, LabelInput } from './tensor-like';
import { checkNotEmpty, toLabels } from './to-array';

/**
 * Class weights in the form tfjs `model.fit({ classWeight })` takes: key `i` is the weight of
 * `classes[i]`, the class whose integer label (or one-hot column) is `i` when `classes` is
 * `[0, 1, …, C - 1]`.
 */
export type ClassWeight = Record<number, number>;

/**
 * `'balanced'`, a mapping from class label to weight (classes left out weigh 1), or
 * `null`/`undefined` for weight 1 everywhere: the `class_weight` values scikit-learn accepts.
 */
export type ClassWeightSpec =
  | 'balanced'
  | Readonly<Record<string | number, number>>
  | ReadonlyMap<Label, number>
  | null
  | undefined;

function lookup(spec: Exclude<ClassWeightSpec, 'balanced' | null | undefined>, c: Label) {
  if (spec instanceof Map) return spec.get(c);
  const record = spec as Readonly<Record<string | number, number>>;
  return Object.hasOwn(record, String(c)) ? record[String(c) as keyof typeof record] : undefined;
}

/** The weight of each class, in the order of `classes` (scikit-learn's array form). */
export function classWeightArray(
  classWeight: ClassWeightSpec,
  classes: Label[],
  y: Label[],
): number[] {
  indexLabels(y, classes, 'y');
  if (classWeight === null || classWeight === undefined) return classes.map(() => 1);
  if (classWeight === 'balanced') {
    const counts = new Map<Label, number>();
    for (const v of y) counts.set(v, (counts.get(v) ?? 0) + 1);
    const missing = classes.filter((c) => !counts.has(c));
    if (missing.length > 0) {
      throw new EvalMetricsError({
        code: 'INVALID_ARGUMENT',
        argument: 'classes',
        message: `classes: expected every class to occur in y for 'balanced' weights, got ${JSON.stringify(missing)} with no sample`,
      });
    }
    // scikit-learn: n_samples / (n_classes * np.bincount(y))
    return classes.map((c) => y.length / (counts.size * (counts.get(c) as number)));
  }
  if (typeof classWeight !== 'object') {
    throw new EvalMetricsError({
      code: 'INVALID_ARGUMENT',
      argument: 'classWeight',
      message: `classWeight: expected 'balanced', a mapping from class to weight, or null, got ${JSON.stringify(classWeight)}`,
    });
  }
  const keys =
    classWeight instanceof Map ? [...classWeight.keys()].map(String) : Object.keys(classWeight);
  const known = new Set(classes.map(String));
  const unknown = keys.filter((k) => !known.has(k));
  if (unknown.length > 0) {
    throw new EvalMetricsError({
      code: 'UNKNOWN_LABEL',
      argument: 'classWeight',
      message: `classWeight: expected keys among classes ${JSON.stringify(classes)}, got ${JSON.stringify(unknown)}`,
    });
  }
  return classes.map((c) => {
    const w = lookup(classWeight, c);
    if (w === undefined) return 1;
    if (typeof w !== 'number' || !Number.isFinite(w)) {
      throw new EvalMetricsError({
        code: 'INVALID_VALUE',
        argument: 'classWeight',
        message: `classWeight: expected a finite number for class ${JSON.stringify(c)}, got ${w}`,
      });
    }
    return w;
  });
}

/**
 * Weights that make each class count equally in training, as scikit-learn's
 * `sklearn.utils.class_weight.compute_class_weight`. With `'balanced'`, class `c` weighs
 * `n_samples / (n_classes * count(c))`. The result is keyed by the position of each class in
 * `classes`, the `{ [classIndex]: weight }` object that tfjs `model.fit({ classWeight })` takes:
 * pass `classes` in the order of your label encoding (`[0, 1, …, C - 1]` for integer labels, so
 * that key `i` is label `i` and one-hot column `i`). String classes work too; the key is then
 * their index in `classes`.
 * @param classWeight `'balanced'`, a `{ [label]: weight }` mapping (classes left out weigh 1) or `null` (all 1)
 * @param classes every class, in index order; each must occur in `y` for `'balanced'`
 * @param y the training labels
 * @example
 * ```ts
 * import { computeClassWeight } from '@seqlearn/eval-metrics';
 * console.log(computeClassWeight('balanced', [0, 1, 2], [0, 0, 0, 0, 1, 1, 2, 2]));
 * // { '0': 0.6666666666666666, '1': 1.3333333333333333, '2': 1.3333333333333333 }
 * // model.fit(x, y, { classWeight: computeClassWeight('balanced', [0, 1, 2], labels) })
 * ```
 * @throws {EvalMetricsError} `UNKNOWN_LABEL` when `y` holds a label outside `classes`,
 * `INVALID_ARGUMENT` when a class has no sample with `'balanced'` or `classWeight` is unknown,
 * `EMPTY_INPUT`, `INVALID_VALUE`.
 */
export function computeClassWeight(
  classWeight: ClassWeightSpec,
  classes: LabelInput,
  y: LabelInput,
): ClassWeight {
  const cls = readLabelsOption(classes, 'classes');
  const labels = toLabels(y, 'y');
  checkNotEmpty(labels, 'y');
  checkSameKind(cls, labels, 'classes', 'y');
  const weights = classWeightArray(classWeight, cls, labels);
  const out: ClassWeight = {};
  weights.forEach((w, i) => {
    out[i] = w;
  });
  return out;
}
