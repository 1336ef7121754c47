import { rngFor, shuffleInPlace } from './mulberry32';
import { checkArrayLike, readOptions } from './validate';

/** Options for {@link shuffle}. */
export interface ShuffleOptions {
  /** Seed of the generator; the same seed gives the same order. @default undefined (random) */
  seed?: number;
}

/**
 * Returns a shuffled copy of `items` (Fisher-Yates over a {@link mulberry32} stream); the input
 * is not modified.
 *
 * @example
 * ```ts
 * import { shuffle } from '@seqlearn/sequence-windows';
 * console.log(shuffle(['a', 'b', 'c', 'd', 'e'], { seed: 1 })); // [ 'e', 'c', 'b', 'a', 'd' ]
 * ```
 * @throws {SequenceWindowsError} `INVALID_ARGUMENT` when `items` is not an array, a typed array
 * or another array-like object, or `seed` is not an integer in [-2^31, 2^32 - 1].
 */
export function shuffle<T>(items: ArrayLike<T>, options?: ShuffleOptions): T[] {
  const { seed } = readOptions(options, '{ seed }');
  const list =
    typeof items === 'string'
      ? items
      : checkArrayLike<T>(items, 'items', 'an array, a typed array or an array-like object');
  return shuffleInPlace(Array.from(list), rngFor(seed));
}
