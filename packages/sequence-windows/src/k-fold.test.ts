import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kFold } from './k-fold';

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => i + from);

describe('kFold', () => {
  it('should give the first n % k folds one extra sample, as scikit-learn KFold', () => {
    // sklearn: [test for _, test in KFold(n_splits=3).split(range(10))]
    //   -> [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]]
    const folds = kFold(10, { nSplits: 3 });
    expect(folds.map((f) => f.testIndices)).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    expect(folds[1].trainIndices).toEqual([0, 1, 2, 3, 7, 8, 9]);
  });

  it('should default to 5 folds without shuffling', () => {
    const folds = kFold(range(10));
    expect(folds).toHaveLength(5);
    expect(folds[0].testIndices).toEqual([0, 1]);
  });

  it('should partition the samples, each one tested exactly once, for any n and k', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 200 }),
        fc.integer({ min: 2, max: 12 }),
        fc.boolean(),
        fc.integer(),
        (n, k, shuffle, seed) => {
          fc.pre(k <= n);
          const folds = kFold(n, shuffle ? { nSplits: k, shuffle, seed } : { nSplits: k });
          expect(folds).toHaveLength(k);
          const tested = folds.flatMap((f) => f.testIndices).sort((a, b) => a - b);
          expect(tested).toEqual(range(n));
          folds.forEach((f, i) => {
            expect(f.testIndices).toHaveLength(Math.floor(n / k) + (i < n % k ? 1 : 0));
            expect([...f.trainIndices, ...f.testIndices].sort((a, b) => a - b)).toEqual(range(n));
            expect(f.trainIndices).toEqual([...f.trainIndices].sort((a, b) => a - b));
          });
        },
      ),
      { seed: 9 },
    );
  });

  it('should shuffle reproducibly with a seed', () => {
    const a = kFold(20, { nSplits: 4, shuffle: true, seed: 1 });
    expect(kFold(20, { nSplits: 4, shuffle: true, seed: 1 })).toEqual(a);
    expect(a).not.toEqual(kFold(20, { nSplits: 4 }));
  });

  it('should throw INVALID_ARGUMENT for fewer than 2 folds or more folds than samples', () => {
    expect(() => kFold(10, { nSplits: 1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'nSplits' }),
    );
    expect(() => kFold(3, { nSplits: 4 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'nSplits' }),
    );
  });

  it('should throw INVALID_ARGUMENT for a seed without shuffle, as scikit-learn does', () => {
    expect(() => kFold(10, { seed: 1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'seed' }),
    );
  });
});
