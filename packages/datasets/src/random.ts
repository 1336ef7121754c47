import { DatasetsError } from './errors';

/** The largest seed: seeds are the 2^32 states of the generator, integers 0 … 2^32 - 1. */
export const MAX_SEED = 0xffffffff;

/**
 * The one check of every seed: an integer 0 … 2^32 - 1, else `INVALID_ARGUMENT` naming
 * `dataset`. Without it `seed >>> 0` or `seed | 0` would make 1.5, 2^32 + 1 and 1 the same seed.
 */
export function checkSeed(seed: unknown, dataset: string): number {
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    const got = typeof seed === 'number' ? String(seed) : `${typeof seed} ${JSON.stringify(seed)}`;
    throw new DatasetsError({
      code: 'INVALID_ARGUMENT',
      argument: 'seed',
      message: `${dataset}: seed must be an integer 0-${MAX_SEED} (2^32 - 1), got ${got}`,
    });
  }
  return seed;
}

/**
 * A seeded uniform generator on [0, 1) (mulberry32): the same seed gives the same draws.
 * @throws {DatasetsError} `INVALID_ARGUMENT` for a seed that is not an integer 0 … 2^32 - 1.
 */
export function createRandom(seed: number): () => number {
  let state = checkSeed(seed, 'createRandom');
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw from a uniform generator (Box-Muller). */
export function normal(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
