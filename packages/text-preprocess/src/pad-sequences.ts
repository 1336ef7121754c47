import { type Tensor2D, tensor2d } from '@tensorflow/tfjs';
import { TextPreprocessError } from './errors';
import { checkSide, place, resolveMaxlen } from './sequence-placement';

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
  /** Value written into padded slots. @default 0 */
  value?: number;
  /**
   * Element type; with `'int32'` every value is truncated toward zero as numpy's cast does.
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

/**
 * Pads or truncates integer sequences to one length, as Keras `pad_sequences` does: by default
 * every row is as long as the longest sequence, padding and truncation happen at the start
 * (`'pre'`), the pad value is 0 and the result is int32.
 * @example
 * ```ts
 * import { padSequences } from '@seqlearn/text-preprocess';
 * console.log(padSequences([[1, 2, 3], [4]])); // [ [ 1, 2, 3 ], [ 0, 0, 4 ] ]
 * console.log(padSequences([[1, 2, 3], [4]], { maxlen: 2, padding: 'post' })); // [ [ 2, 3 ], [ 4, 0 ] ]
 * ```
 * @throws {TextPreprocessError} `INVALID_ARGUMENT` when `maxlen` is not a non-negative integer,
 *   `padding` or `truncating` is not `'pre'`/`'post'`, or `dtype`, `output` or `value` is bad.
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
  {
    maxlen,
    padding = 'pre',
    truncating = 'pre',
    value = 0,
    dtype = 'int32',
    output = 'array',
  }: PadSequencesOptions = {},
): number[][] | PaddedArray | Tensor2D {
  if (!Array.isArray(sequences)) {
    throw new TextPreprocessError({
      code: 'INVALID_ARGUMENT',
      argument: 'sequences',
      message: `sequences: expected an array of sequences, got ${typeof sequences}`,
    });
  }
  checkSide(padding, 'padding');
  checkSide(truncating, 'truncating');
  if (dtype !== 'int32' && dtype !== 'float32') {
    throw new TextPreprocessError({
      code: 'INVALID_ARGUMENT',
      argument: 'dtype',
      message: `dtype: expected 'int32' or 'float32', got ${JSON.stringify(dtype)}`,
    });
  }
  if (output !== 'array' && output !== 'typedArray' && output !== 'tensor') {
    throw new TextPreprocessError({
      code: 'INVALID_ARGUMENT',
      argument: 'output',
      message: `output: expected 'array', 'typedArray' or 'tensor', got ${JSON.stringify(output)}`,
    });
  }
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TextPreprocessError({
      code: 'INVALID_ARGUMENT',
      argument: 'value',
      message: `value: expected a number, got ${String(value)}`,
    });
  }
  const steps = resolveMaxlen(
    maxlen,
    sequences.map((s) => s.length),
  );
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
