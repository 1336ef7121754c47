import { afterEach, describe, expect, it, vi } from 'vitest';
import { balancedAccuracy } from './balanced-accuracy';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('balancedAccuracy', () => {
  it('averages per-class recall (sklearn balanced_accuracy_score)', () => {
    // sklearn.metrics.balanced_accuracy_score([0,1,0,0,1,0],[0,1,0,0,0,1]) == 0.625
    expect(balancedAccuracy([0, 1, 0, 0, 1, 0], [0, 1, 0, 0, 0, 1])).toBe(0.625);
    // yt=[0,1,2,2,1,0,3,3,3,1], yp=[0,2,2,2,1,1,3,0,3,1] -> 0.7083333333333333
    expect(
      balancedAccuracy([0, 1, 2, 2, 1, 0, 3, 3, 3, 1], [0, 2, 2, 2, 1, 1, 3, 0, 3, 1]),
    ).toBeCloseTo(0.7083333333333333, 12);
  });

  it('rescales chance to 0 with adjusted', () => {
    expect(balancedAccuracy([0, 1, 0, 1], [0, 0, 0, 0], { adjusted: true })).toBe(0);
  });

  it('leaves out classes that are only predicted, with a warning', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    expect(balancedAccuracy([0, 0, 1], [0, 2, 1])).toBe(0.75);
    expect(warn).toHaveBeenCalledTimes(1);
  });
});
