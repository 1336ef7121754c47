/**
 * The part of a tfjs `Tensor` that this package reads. Any `tf.Tensor` fits it, so tensors can be
 * passed wherever an array is accepted, without this package importing `@tensorflow/tfjs`: a value
 * is treated as a tensor when it has a `shape` array and a `dataSync` method (duck typing).
 */
export interface TensorLike {
  readonly shape: readonly number[];
  dataSync(): ArrayLike<number> | ArrayLike<string> | ArrayLike<unknown>;
}

/** A class label: an integer or a string, as scikit-learn's classification metrics take. */
export type Label = number | string;

/**
 * One-dimensional labels: a plain array of numbers or strings, a typed array, or a 1-D tensor
 * (a `[n, 1]` tensor is flattened, as scikit-learn's `column_or_1d` does).
 */
export type LabelInput = ArrayLike<number> | readonly string[] | readonly Label[] | TensorLike;

/** One-dimensional numbers: a plain array, a typed array or a 1-D tensor. */
export type NumericInput = ArrayLike<number> | TensorLike;

/**
 * A matrix of numbers `[rows, columns]`: nested arrays (rows may be typed arrays) or a 2-D tensor.
 * Where a metric also takes 1-D scores (binary problems), a 1-D array or tensor is accepted too.
 */
export type MatrixInput =
  | readonly (readonly number[])[]
  | readonly ArrayLike<number>[]
  | ArrayLike<number>
  | TensorLike;

/** Duck-typed tensor check: a `shape` array and a `dataSync` method. */
export function isTensorLike(value: unknown): value is TensorLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { shape?: unknown }).shape) &&
    typeof (value as { dataSync?: unknown }).dataSync === 'function'
  );
}
