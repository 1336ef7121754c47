import { describe, expect, it } from 'vitest';
import { lengthStats } from './length-stats';

describe('lengthStats', () => {
  it('should match numpy on lengths 1..4', () => {
    // np.percentile([1, 2, 3, 4], [50, 90, 95, 99]) -> [2.5, 3.7, 3.85, 3.97]; np.std -> 1.118033988749895
    const stats = lengthStats([[1], [1, 2], [1, 2, 3], [1, 2, 3, 4]]);
    expect(stats).toMatchObject({ count: 4, min: 1, max: 4, mean: 2.5 });
    expect(stats.std).toBeCloseTo(1.118033988749895, 12);
    expect(stats.percentiles[50]).toBeCloseTo(2.5, 12);
    expect(stats.percentiles[90]).toBeCloseTo(3.7, 12);
    expect(stats.percentiles[95]).toBeCloseTo(3.85, 12);
    expect(stats.percentiles[99]).toBeCloseTo(3.97, 12);
  });

  it('should accept strings and plain lengths, and given percentiles', () => {
    expect(lengthStats(['ab', 'abcd', 3], { percentiles: [0, 100] }).percentiles).toEqual({
      0: 2,
      100: 4,
    });
  });

  it('should throw for no sequences and percentiles outside [0, 100]', () => {
    expect(() => lengthStats([])).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'sequences' }),
    );
    expect(() => lengthStats([[1]], { percentiles: [101] })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'percentiles' }),
    );
  });
});
