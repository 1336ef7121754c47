import { type Tensor3D, tensor3d } from '@tensorflow/tfjs';
import { checkSide, checkSize, place, resolveMaxlen, sequenceLengths } from './sequence-placement';
import { invalid, show } from './validate';

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
 * @throws {TextPreprocessError} `INVALID_ARGUMENT` for a missing `options` object, a bad
 *   `depth`, `maxlen`, `padding` or `truncating`, a sequence that is not an array or typed array,
 *   or an id outside `[0, depth)` (truncated ids included: such an id means the alphabet and
 *   `depth` do not match).
 */
export function oneHotArray(
  sequences: readonly (ArrayLike<number> | readonly number[])[],
  options: OneHotOptions,
): OneHotArray {
  if (typeof options !== 'object' || options === null) {
    throw invalid('options', `options: expected an object with depth, got ${show(options)}`);
  }
  const { depth, maxlen, padding = 'pre', truncating = 'pre' } = options;
  if (typeof depth !== 'number' || !Number.isSafeInteger(depth) || depth < 1) {
    throw invalid('depth', `depth: expected a positive integer, got ${show(depth)}`);
  }
  checkSide(padding, 'padding');
  checkSide(truncating, 'truncating');
  if (!Array.isArray(sequences)) {
    throw invalid('sequences', `sequences: expected an array of sequences, got ${show(sequences)}`);
  }
  const lengths = sequenceLengths(sequences, 'ids');
  sequences.forEach((sequence, example) => {
    for (let k = 0; k < sequence.length; k++) {
      const id = sequence[k];
      if (!Number.isInteger(id) || id < 0 || id >= depth) {
        throw invalid(
          'sequences',
          `sequences[${example}][${k}]: expected an integer in [0, ${depth}), got ${show(id)}`,
        );
      }
    }
  });
  const steps = resolveMaxlen(maxlen, lengths);
  checkSize(sequences.length, steps, depth);
  const data = new Float32Array(sequences.length * steps * depth);
  sequences.forEach((sequence, example) => {
    const { from, to, count } = place(sequence.length, steps, padding, truncating);
    for (let k = 0; k < count; k++) {
      data[(example * steps + to + k) * depth + sequence[from + k]] = 1;
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
