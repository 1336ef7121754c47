import { type Tensor2D, tensor2d } from '@tensorflow/tfjs';
import {
  checkOptions,
  checkSide,
  checkSize,
  place,
  resolveMaxlen,
  sequenceLengths,
} from './sequence-placement';
import { fitsFloat32, invalid, show } from './validate';

/** Element type of {@link padSequences}' result, as Keras' `dtype` (which defaults to `'int32'`). */
export type PadSequencesDtype = 'int32' | 'float32';

/** Options for {@link padSequences}; names and defaults follow Keras `pad_sequences`. */
export interface PadSequencesOptions {
  /** Length of every output row. @default the longest input sequence */
  maxlen?: number;
  /** Side to pad on. @default 'pre' */
  padding?: 'pre' | 'post';
  /** Side to cut from when a sequence is longer than `maxlen`. @default 'pre' */
  truncating?: 'pre' | 'post';
  /** Value written into padded slots; checked against `dtype` as the values are. @default 0 */
  value?: number;
  /**
   * Element type. With `'int32'` every value (and `value`) must be an integer in the int32
   * range: where Keras' numpy cast would truncate 1.7 to 1 or wrap 1e10, this throws. With
   * `'float32'` every value must be finite within the float32 range.
   * @default 'int32'
   */
  dtype?: PadSequencesDtype;
  /**
   * What to return: `'array'` a `number[][]`, `'typedArray'` a row-major `Int32Array` or
   * `Float32Array` with its shape, `'tensor'` a `tf.Tensor2D` of `dtype`. @default 'array'
   */
  output?: 'array' | 'typedArray' | 'tensor';
}

/** The `{ output: 'typedArray' }` result of {@link padSequences}. */
export interface PaddedArray {
  data: Int32Array | Float32Array;
  shape: [number, number];
}

type Sequences = readonly (ArrayLike<number> | readonly number[])[];

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * Why `v` cannot be stored as `dtype` without changing it, or `undefined` when it can: the
 * "expected …, got …" part of the message.
 */
function badValue(v: unknown, dtype: PadSequencesDtype): string | undefined {
  if (typeof v !== 'number') return `expected a number, got ${show(v)}`;
  if (!Number.isFinite(v)) return `expected a finite number, got ${show(v)}`;
  if (dtype === 'float32') {
    return fitsFloat32(v) ? undefined : `expected a number within float32 range, got ${show(v)}`;
  }
  if (!Number.isInteger(v)) {
    return `expected an integer for dtype 'int32' (Keras would truncate it; pass dtype: 'float32' to keep fractions), got ${show(v)}`;
  }
  if (v < INT32_MIN || v > INT32_MAX) {
    return `expected an integer in [${INT32_MIN}, ${INT32_MAX}] for dtype 'int32', got ${show(v)}`;
  }
  return undefined;
}

/**
 * Pads or truncates integer sequences to one length, as Keras `pad_sequences` does: by default
 * every row is as long as the longest sequence, padding and truncation happen at the start
 * (`'pre'`), the pad value is 0 and the result is int32. Unlike Keras, a value that the dtype
 * would change (a fraction or an out-of-range integer for int32, NaN, a string, a nested array)
 * is an error rather than silently cast; every value is checked, truncated ones included.
 * @example
 * ```ts
 * import { padSequences } from '@seqlearn/text-preprocess';
 * console.log(padSequences([[1, 2, 3], [4]])); // [ [ 1, 2, 3 ], [ 0, 0, 4 ] ]
 * console.log(padSequences([[1, 2, 3], [4]], { maxlen: 2, padding: 'post' })); // [ [ 2, 3 ], [ 4, 0 ] ]
 * ```
 * @throws {TextPreprocessError} `INVALID_ARGUMENT` when `maxlen` is not a non-negative integer
 *   (or makes more than 2^31 - 1 values), `padding` or `truncating` is not `'pre'`/`'post'`,
 *   `dtype`, `output`, `value` or `options` is bad, or (argument `sequences`, the message naming
 *   `sequences[i]` or `sequences[i][j]`) a sequence is not an array or typed array or holds a
 *   value that `dtype` cannot store as it is.
 */
export function padSequences(
  sequences: Sequences,
  options?: PadSequencesOptions & { output?: 'array' },
): number[][];
export function padSequences(
  sequences: Sequences,
  options: PadSequencesOptions & { output: 'typedArray' },
): PaddedArray;
export function padSequences(
  sequences: Sequences,
  options: PadSequencesOptions & { output: 'tensor' },
): Tensor2D;
export function padSequences(
  sequences: Sequences,
  options?: PadSequencesOptions,
): number[][] | PaddedArray | Tensor2D;
export function padSequences(
  sequences: Sequences,
  options?: PadSequencesOptions,
): number[][] | PaddedArray | Tensor2D {
  if (!Array.isArray(sequences)) {
    throw invalid('sequences', `sequences: expected an array of sequences, got ${show(sequences)}`);
  }
  checkOptions(options);
  const {
    maxlen,
    padding = 'pre',
    truncating = 'pre',
    value = 0,
    dtype = 'int32',
    output = 'array',
  }: PadSequencesOptions = options ?? {};
  checkSide(padding, 'padding');
  checkSide(truncating, 'truncating');
  if (dtype !== 'int32' && dtype !== 'float32') {
    throw invalid('dtype', `dtype: expected 'int32' or 'float32', got ${show(dtype)}`);
  }
  if (output !== 'array' && output !== 'typedArray' && output !== 'tensor') {
    throw invalid(
      'output',
      `output: expected 'array', 'typedArray' or 'tensor', got ${show(output)}`,
    );
  }
  const badPad = badValue(value, dtype);
  if (badPad !== undefined) throw invalid('value', `value: ${badPad}`);
  const lengths = sequenceLengths(sequences, 'numbers');
  sequences.forEach((sequence, row) => {
    for (let k = 0; k < sequence.length; k++) {
      const bad = badValue(sequence[k], dtype);
      if (bad !== undefined) throw invalid('sequences', `sequences[${row}][${k}]: ${bad}`);
    }
  });
  const steps = resolveMaxlen(maxlen, lengths);
  checkSize(sequences.length, steps);
  const data =
    dtype === 'int32'
      ? new Int32Array(sequences.length * steps)
      : new Float32Array(sequences.length * steps);
  if (value !== 0) data.fill(value);
  sequences.forEach((sequence, row) => {
    const { from, to, count } = place(sequence.length, steps, padding, truncating);
    for (let k = 0; k < count; k++) data[row * steps + to + k] = sequence[from + k];
  });
  const shape: [number, number] = [sequences.length, steps];
  if (output === 'typedArray') return { data, shape };
  if (output === 'tensor') return tensor2d(data, shape, dtype);
  const rows: number[][] = [];
  for (let row = 0; row < sequences.length; row++) {
    rows.push(Array.from(data.subarray(row * steps, (row + 1) * steps)));
  }
  return rows;
}
