import { checkSeed } from './validate';

/** A random number generator: each call returns a float in [0, 1). */
export type Rng = () => number;

/**
 * A small, fast, seeded pseudo-random generator (Tommy Ettinger's mulberry32, 32-bit state).
 * The same seed gives the same stream on every platform, which makes shuffles and splits
 * reproducible. Not for cryptography.
 *
 * @param seed An integer in [-2^31, 2^32 - 1]; a negative seed is read as its 32-bit two's
 * complement (-1 is 4294967295). Larger seeds are refused rather than wrapped onto another seed.
 * @returns A function that returns the next float in [0, 1) on each call.
 * @example
 * ```ts
 * import { mulberry32 } from '@seqlearn/sequence-windows';
 * const rng = mulberry32(42);
 * console.log(rng(), rng()); // 0.6011037519201636 0.44829055899754167
 * ```
 * @throws {SequenceWindowsError} `INVALID_ARGUMENT` when `seed` is missing, not an integer or
 * outside [-2^31, 2^32 - 1].
 */
export function mulberry32(seed: number): Rng {
  let state = checkSeed(seed, true) as number;
  state >>>= 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Internal: the generator for an optional `seed` option. Without a seed the stream is drawn from
 * `Math.random` (like scikit-learn's `random_state=None`), so results differ between runs.
 */
export function rngFor(seed: number | undefined): Rng {
  const checked = checkSeed(seed);
  return mulberry32(checked ?? Math.floor(Math.random() * 4294967296));
}

/** Internal: a uniform integer in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** Internal: a random permutation of 0..n-1 (Fisher-Yates). */
export function permutation(n: number, rng: Rng): number[] {
  const out = Array.from({ length: n }, (_, i) => i);
  shuffleInPlace(out, rng);
  return out;
}

/** Internal: Fisher-Yates shuffle in place. */
export function shuffleInPlace<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    const tmp = items[i];
    items[i] = items[j];
    items[j] = tmp;
  }
  return items;
}
