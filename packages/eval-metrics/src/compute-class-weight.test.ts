import { describe, expect, it } from 'vitest';
import { computeClassWeight } from './compute-class-weight';

describe('computeClassWeight', () => {
  it("applies scikit-learn's balanced rule n_samples / (n_classes * count)", () => {
    // sklearn.utils.class_weight.compute_class_weight('balanced', classes=[0,1,2], y=[0,0,0,0,1,1,2,2])
    // -> [0.66666667, 1.33333333, 1.33333333]
    const w = computeClassWeight('balanced', [0, 1, 2], [0, 0, 0, 0, 1, 1, 2, 2]);
    expect(Object.keys(w)).toEqual(['0', '1', '2']);
    expect(w[0]).toBeCloseTo(2 / 3, 12);
    expect(w[1]).toBeCloseTo(4 / 3, 12);
    expect(w[2]).toBeCloseTo(4 / 3, 12);
  });

  it('keys weights by the index of each class in classes', () => {
    const w = computeClassWeight('balanced', ['b', 'a'], ['a', 'a', 'a', 'b']);
    expect(Object.keys(w)).toEqual(['0', '1']);
    expect(w[0]).toBe(2); // 'b': 4 / (2 * 1)
    expect(w[1]).toBeCloseTo(4 / 6, 12); // 'a': 4 / (2 * 3)
  });

  it('takes a mapping (missing classes weigh 1) or null', () => {
    expect(computeClassWeight({ 1: 5 }, [0, 1], [0, 1])).toEqual({ 0: 1, 1: 5 });
    expect(computeClassWeight(null, [0, 1], [0, 1])).toEqual({ 0: 1, 1: 1 });
  });

  it('throws when y holds a class outside classes, or a class has no sample', () => {
    expect(() => computeClassWeight('balanced', [0, 1], [0, 1, 2])).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_LABEL', argument: 'y' }),
    );
    expect(() => computeClassWeight('balanced', [0, 1, 2], [0, 1])).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'classes' }),
    );
    expect(() => computeClassWeight('balanced', [0, 1], [])).toThrow(
      expect.objectContaining({ code: 'EMPTY_INPUT', argument: 'y' }),
    );
  });
});
