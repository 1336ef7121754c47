import * as tf from '@tensorflow/tfjs';
import { SequenceWindowsError } from './errors';
import { isTensorLike } from './split-sizes';
import { describe } from './validate';

/**
 * Data a scaler fits or transforms: a series `[steps]`, rows `[steps, features]` or windows
 * `[examples, steps, features]`, as nested arrays, a typed array (one feature) or a tensor. The
 * last axis is the feature axis (a `[steps]` input is one feature).
 */
export type ScalerInput =
  | ArrayLike<number>
  | readonly ArrayLike<number>[]
  | readonly (readonly ArrayLike<number>[])[]
  | tf.Tensor;

type Nested<T> = T extends number ? number : T extends ArrayLike<infer R> ? Nested<R>[] : never;

/**
 * What a scaler returns for an input of type `T`: the same form and shape (a tensor of the same
 * rank, a `Float64Array` for a `Float64Array`, a `Float32Array` for other typed arrays, nested
 * `number` arrays for arrays).
 */
export type Scaled<T> = T extends tf.Tensor
  ? T
  : T extends Float64Array
    ? Float64Array
    : T extends ArrayBufferView
      ? Float32Array
      : Nested<T>;

/** Internal: scaler data as one buffer with its shape and original form. */
export interface FlatData {
  values: Float64Array;
  shape: number[];
  features: number;
  form: 'tensor' | 'float64' | 'float32' | 'array';
}

function shapeMismatch(argument: string, message: string): never {
  throw new SequenceWindowsError({
    code: 'SHAPE_MISMATCH',
    argument,
    message: `${argument}: ${message}`,
  });
}

/** Internal: flattens any {@link ScalerInput}, checking that nested rows are not ragged. */
export function toFlat(input: ScalerInput, argument: string): FlatData {
  if (isTensorLike(input)) {
    const shape = [...input.shape];
    if (shape.length === 0) shapeMismatch(argument, 'expected a tensor of rank >= 1, got a scalar');
    return {
      values: Float64Array.from(input.dataSync()),
      shape,
      features: shape.length === 1 ? 1 : shape[shape.length - 1],
      form: 'tensor',
    };
  }
  if (ArrayBuffer.isView(input)) {
    const typed = input as unknown as ArrayLike<number>;
    return {
      values: Float64Array.from(typed),
      shape: [typed.length],
      features: 1,
      form: input instanceof Float64Array ? 'float64' : 'float32',
    };
  }
  if (typeof input !== 'object' || input === null || typeof input.length !== 'number') {
    throw new SequenceWindowsError({
      code: 'INVALID_ARGUMENT',
      argument,
      message: `${argument}: expected an array, a typed array or a tensor, got ${describe(input)}`,
    });
  }
  const shape: number[] = [];
  let cur: unknown = input;
  while (
    typeof cur === 'object' &&
    cur !== null &&
    typeof (cur as ArrayLike<unknown>).length === 'number'
  ) {
    const arr = cur as ArrayLike<unknown>;
    shape.push(arr.length);
    if (arr.length === 0) break;
    cur = arr[0];
  }
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float64Array(size);
  let offset = 0;
  const fill = (node: unknown, depth: number, path: string): void => {
    const arr = node as ArrayLike<unknown>;
    if (typeof node !== 'object' || node === null || arr.length !== shape[depth]) {
      shapeMismatch(
        argument,
        `expected ${shape[depth]} entries at ${path || 'the top level'} like the first row, got ${describe(node)}`,
      );
    }
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i];
      if (depth === shape.length - 1) {
        if (typeof v !== 'number')
          shapeMismatch(argument, `expected a number at ${path}[${i}], got ${describe(v)}`);
        values[offset++] = v;
      } else {
        fill(v, depth + 1, `${path}[${i}]`);
      }
    }
  };
  fill(input, 0, '');
  return {
    values,
    shape,
    features: shape.length === 1 ? 1 : shape[shape.length - 1],
    form: 'array',
  };
}

/** Internal: rebuilds the original form of a {@link FlatData} around new values. */
export function fromFlat(values: Float64Array, { shape, form }: FlatData): unknown {
  if (form === 'tensor') return tf.tensor(Float32Array.from(values), shape, 'float32');
  if (form === 'float64') return values;
  if (form === 'float32') return Float32Array.from(values);
  let offset = 0;
  const build = (depth: number): unknown[] => {
    const out: unknown[] = new Array(shape[depth]);
    for (let i = 0; i < shape[depth]; i++) {
      out[i] = depth === shape.length - 1 ? values[offset++] : build(depth + 1);
    }
    return out;
  };
  return build(0);
}

/** Internal: the nested-array position of flat index `i` in `shape`, such as `[3][1]`. */
function positionOf(i: number, shape: readonly number[]): string {
  const parts: number[] = [];
  let rest = i;
  for (let d = shape.length - 1; d >= 0; d--) {
    parts.unshift(rest % shape[d]);
    rest = Math.floor(rest / shape[d]);
  }
  return parts.map((p) => `[${p}]`).join('');
}

/**
 * Internal: throws `INVALID_VALUE` for the first ±Infinity in `data`. NaN is allowed: scalers
 * ignore it when fitting and pass it through, as scikit-learn's do (`force_all_finite='allow-nan'`).
 */
export function checkNoInfinity(data: FlatData, argument: string): void {
  const { values, shape } = data;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY) {
      throw new SequenceWindowsError({
        code: 'INVALID_VALUE',
        argument,
        message: `${argument}: expected finite numbers or NaN (missing), got ${v} at ${argument}${positionOf(i, shape)}`,
      });
    }
  }
}

/**
 * Internal: flattens the training data given to a scaler's `fit`, rejecting empty data and
 * ±Infinity. Returns the number of non-NaN values of each feature too.
 * @throws {SequenceWindowsError} `INVALID_ARGUMENT` for empty data, `SHAPE_MISMATCH` for ragged
 * rows, `INVALID_VALUE` for ±Infinity or a feature with no value other than NaN.
 */
export function toFitData(x: ScalerInput, argument: string): FlatData & { counts: number[] } {
  const data = toFlat(x, argument);
  if (data.values.length === 0 || data.features === 0) {
    throw new SequenceWindowsError({
      code: 'INVALID_ARGUMENT',
      argument,
      message: `${argument}: expected at least one value per feature to fit on, got empty data`,
    });
  }
  checkNoInfinity(data, argument);
  const { values, features } = data;
  const counts = new Array<number>(features).fill(0);
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) counts[i % features]++;
  const empty = counts.indexOf(0);
  if (empty >= 0) {
    throw new SequenceWindowsError({
      code: 'INVALID_VALUE',
      argument,
      message: `${argument}: expected at least one non-NaN value in every feature to fit on, got only NaN in feature ${empty} (${values.length / features} values); drop or fill that feature first`,
    });
  }
  return { ...data, counts };
}

/**
 * Internal: a fitted scaler's transform: checks `x` against the fitted feature count, applies
 * `op(value, feature)` to every value and returns the result in the form and shape of `x`.
 */
export function mapFeatures<T extends ScalerInput>(
  x: T,
  argument: string,
  fittedFeatures: number,
  op: (value: number, feature: number) => number,
): Scaled<T> {
  const data = toFlat(x, argument);
  checkFeatures(fittedFeatures, data, argument);
  checkNoInfinity(data, argument);
  const { values, features } = data;
  const out = new Float64Array(values.length);
  for (let i = 0; i < out.length; i++) out[i] = op(values[i], i % features);
  return fromFlat(out, data) as Scaled<T>;
}

/** Internal: scikit-learn's `_handle_zeros_in_scale`: near-zero scales become 1. */
export function handleZeros(scale: number): number {
  return scale < 10 * Number.EPSILON ? 1 : scale;
}

/** Internal: checks a fitted scaler's feature count against new data. */
export function checkFeatures(expected: number, data: FlatData, argument: string): void {
  if (data.features !== expected) {
    shapeMismatch(argument, `expected ${expected} features (as fitted), got ${data.features}`);
  }
}

/** Internal: throws `BAD_JSON` for `field`. */
export function badJson(field: string, message: string): never {
  throw new SequenceWindowsError({
    code: 'BAD_JSON',
    argument: field,
    message: `${field}: ${message}`,
  });
}

/**
 * Internal: reads a list of finite numbers from parsed JSON: `length` of them when given, else at
 * least one (a scaler has at least one feature); with `check`, each must also pass it.
 */
export function jsonNumbers(
  value: unknown,
  field: string,
  length?: number,
  check?: { test: (v: number) => boolean; what: string },
): number[] {
  if (
    !Array.isArray(value) ||
    !value.every((v) => typeof v === 'number' && Number.isFinite(v)) ||
    (length !== undefined ? value.length !== length : value.length === 0)
  ) {
    badJson(
      field,
      `expected an array of ${length ?? 'one or more'} finite numbers, got ${describe(value)}`,
    );
  }
  if (check) {
    const i = (value as number[]).findIndex((v) => !check.test(v));
    if (i >= 0) badJson(field, `expected ${check.what}, got ${value[i]} at index ${i}`);
  }
  return value as number[];
}

/** Internal: reads an optional boolean field of parsed JSON (`undefined` when absent). */
export function jsonBoolean(value: unknown, field: string): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') {
    badJson(field, `expected true or false, got ${describe(value)}`);
  }
  return value;
}

/** Internal: parses a string or passes an object through, checking its `kind`. */
export function jsonObject(json: unknown, kind: string): Record<string, unknown> {
  let parsed = json;
  if (typeof json === 'string') {
    try {
      parsed = JSON.parse(json);
    } catch (cause) {
      throw new SequenceWindowsError({
        code: 'BAD_JSON',
        argument: 'json',
        message: `json: expected JSON text, got text that does not parse`,
        cause,
      });
    }
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    (parsed as { kind?: unknown }).kind !== kind
  ) {
    throw new SequenceWindowsError({
      code: 'BAD_JSON',
      argument: 'kind',
      message: `kind: expected a ${kind} JSON object with kind "${kind}", got ${describe((parsed as { kind?: unknown } | null)?.kind ?? parsed)}`,
    });
  }
  return parsed as Record<string, unknown>;
}

/** Internal: throws `NOT_FITTED`. */
export function notFitted(name: string): never {
  throw new SequenceWindowsError({
    code: 'NOT_FITTED',
    message: `${name}: expected fit() to be called before transform, got an unfitted scaler`,
  });
}
