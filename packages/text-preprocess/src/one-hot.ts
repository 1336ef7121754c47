import { type Tensor3D, tensor3d } from '@tensorflow/tfjs';
import { TextPreprocessError } from './errors';
import { checkSide, place, resolveMaxlen } from './sequence-placement';

/** Options for {@link oneHot} and {@link oneHotArray}; padding names follow Keras `pad_sequences`. */
export interface OneHotOptions {
  /** Length of the one-hot vectors; every id must be in `[0, depth)`. Usually `alphabet.size`. */
  depth: number;
  /** Steps per example. @default the longest input sequence */
  maxlen?: number;
  /** Side that gets the all-zero padding rows. @default 'pre' */
  padding?: 'pre' | 'post';
  /** Side to cut from when a sequence is longer than `maxlen`. @default 'pre' */
  truncating?: 'pre' | 'post';
}

/** A row-major `[examples, steps, depth]` array, as {@link oneHotArray} returns it. */
export interface OneHotArray {
  data: Float32Array;
  shape: [number, number, number];
}

/**
 * Same as {@link oneHot}, but returns the values as a row-major `Float32Array` with its shape,
 * without creating a tensor.
 * @example
 * ```ts
 * import { oneHotArray } from '@seqlearn/text-preprocess';
 * const { data, shape } = oneHotArray([[1], [0, 2]], { depth: 3 });
 * console.log(shape, Array.from(data)); // [ 2, 2, 3 ] [ 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1 ]
 * ```
 * @throws {TextPreprocessError} `INVALID_ARGUMENT` for a bad `depth`, `maxlen`, `padding` or
 *   `truncating`, or an id outside `[0, depth)`.
 */
export function oneHotArray(
  sequences: readonly (ArrayLike<number> | readonly number[])[],
  { depth, maxlen, padding = 'pre', truncating = 'pre' }: OneHotOptions,
): OneHotArray {
  if (!Number.isInteger(depth) || depth < 1) {
    throw new TextPreprocessError({
      code: 'INVALID_ARGUMENT',
      argument: 'depth',
      message: `depth: expected a positive integer, got ${String(depth)}`,
    });
  }
  checkSide(padding, 'padding');
  checkSide(truncating, 'truncating');
  const steps = resolveMaxlen(
    maxlen,
    sequences.map((s) => s.length),
  );
  const data = new Float32Array(sequences.length * steps * depth);
  sequences.forEach((sequence, example) => {
    const { from, to, count } = place(sequence.length, steps, padding, truncating);
    for (let k = 0; k < count; k++) {
      const id = sequence[from + k];
      if (!Number.isInteger(id) || id < 0 || id >= depth) {
        throw new TextPreprocessError({
          code: 'INVALID_ARGUMENT',
          argument: 'sequences',
          message: `sequences[${example}][${from + k}]: expected an integer in [0, ${depth}), got ${id}`,
        });
      }
      data[(example * steps + to + k) * depth + id] = 1;
    }
  });
  return { data, shape: [sequences.length, steps, depth] };
}

/**
 * One-hot encodes integer sequences (such as {@link CharAlphabet.encode}'s output) into a
 * `[examples, steps, depth]` float32 tensor. Sequences are padded and truncated to `maxlen`
 * steps with Keras `pad_sequences` semantics; padded steps are rows of zeros (no index is hot),
 * while an id that is present, 0 included, sets its column.
 * @example
 * ```ts
 * import { CharAlphabet, oneHot } from '@seqlearn/text-preprocess';
 * const alphabet = new CharAlphabet('abc');
 * const x = oneHot(['ab', 'c'].map((t) => alphabet.encode(t)), { depth: alphabet.size });
 * console.log(x.shape); // [ 2, 2, 3 ]
 * console.log(x.arraySync()[1]); // [ [ 0, 0, 0 ], [ 0, 0, 1 ] ]
 * ```
 * @throws {TextPreprocessError} as {@link oneHotArray}.
 */
export function oneHot(
  sequences: readonly (ArrayLike<number> | readonly number[])[],
  options: OneHotOptions,
): Tensor3D {
  const { data, shape } = oneHotArray(sequences, options);
  return tensor3d(data, shape, 'float32');
}
