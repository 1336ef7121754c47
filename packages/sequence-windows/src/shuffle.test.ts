import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shuffle } from './shuffle';

describe('shuffle', () => {
  it('should return the same order for the same seed', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    expect(shuffle(items, { seed: 3 })).toEqual(shuffle(items, { seed: 3 }));
    expect(shuffle(items, { seed: 3 })).not.toEqual(shuffle(items, { seed: 4 }));
  });

  it('should return a permutation of the input for any items and seed', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.integer(), (items, seed) => {
        const out = shuffle(items, { seed });
        expect([...out].sort((a, b) => a - b)).toEqual([...items].sort((a, b) => a - b));
      }),
      { seed: 1 },
    );
  });

  it('should not mutate its input and should accept typed arrays', () => {
    const items = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const out = shuffle(items, { seed: 9 });
    expect(Array.from(items)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(out).toHaveLength(6);
    expect(out).not.toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('should put every item in every position about equally often', () => {
    const counts = Array.from({ length: 4 }, () => [0, 0, 0, 0]);
    for (let seed = 0; seed < 4000; seed++) {
      shuffle([0, 1, 2, 3], { seed }).forEach((item, pos) => {
        counts[item][pos]++;
      });
    }
    for (const row of counts) for (const c of row) expect(Math.abs(c - 1000)).toBeLessThan(120);
  });

  it('should throw INVALID_ARGUMENT for a non-integer seed', () => {
    expect(() => shuffle([1, 2], { seed: 0.5 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'seed' }),
    );
  });
});
