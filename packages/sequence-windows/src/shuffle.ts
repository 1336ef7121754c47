import { rngFor, shuffleInPlace } from './mulberry32';

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
 * @throws {SequenceWindowsError} `INVALID_ARGUMENT` when `seed` is not an integer.
 */
export function shuffle<T>(items: ArrayLike<T>, { seed }: ShuffleOptions = {}): T[] {
  return shuffleInPlace(Array.from(items), rngFor(seed));
}
