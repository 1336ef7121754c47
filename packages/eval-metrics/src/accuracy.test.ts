import { describe, expect, it } from 'vitest';
import { accuracy } from './accuracy';

describe('accuracy', () => {
  it('is the fraction of exact matches (sklearn accuracy_score)', () => {
    expect(accuracy([0, 1, 2, 3], [0, 2, 1, 3])).toBe(0.5);
  });

  it('returns the count with normalize: false and weighs samples', () => {
    expect(accuracy([0, 1, 2, 3], [0, 2, 1, 3], { normalize: false })).toBe(2);
    // sklearn.metrics.accuracy_score([0,1,2,3],[0,2,1,3], sample_weight=[1,2,3,4]) == 0.5
    expect(accuracy([0, 1, 2, 3], [0, 2, 1, 3], { sampleWeight: [1, 2, 3, 4] })).toBe(0.5);
  });

  it('throws LENGTH_MISMATCH when sampleWeight is short', () => {
    expect(() => accuracy([0, 1], [0, 1], { sampleWeight: [1] })).toThrow(
      expect.objectContaining({ code: 'LENGTH_MISMATCH', argument: 'sampleWeight' }),
    );
  });
});
