import { describe, expect, it } from 'vitest';
import { computeSampleWeight } from './compute-sample-weight';

describe('computeSampleWeight', () => {
  it("gives each sample its class's balanced weight (sklearn compute_sample_weight)", () => {
    expect(computeSampleWeight('balanced', [0, 0, 0, 1])).toEqual([2 / 3, 2 / 3, 2 / 3, 2]);
  });

  it('weighs classes absent from the subsample 0', () => {
    expect(computeSampleWeight('balanced', [0, 0, 1, 2], { indices: [0, 2] })).toEqual([
      1, 1, 1, 0,
    ]);
  });

  it('rejects indices without balanced weights', () => {
    expect(() => computeSampleWeight({ 0: 2 }, [0, 1], { indices: [0] })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'indices' }),
    );
  });
});
