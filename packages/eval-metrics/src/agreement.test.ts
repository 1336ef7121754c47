import { describe, expect, it } from 'vitest';
import { cohenKappa } from './cohen-kappa';
import { matthewsCorrcoef } from './matthews-corrcoef';

describe('cohenKappa', () => {
  it('is 1 for identical labelings and matches sklearn cohen_kappa_score', () => {
    expect(cohenKappa([0, 1, 2], [0, 1, 2])).toBe(1);
    // sklearn.metrics.cohen_kappa_score([0,1,1,2,2,2],[0,1,2,2,2,1]) == 0.4545454545454545
    expect(cohenKappa([0, 1, 1, 2, 2, 2], [0, 1, 2, 2, 2, 1])).toBeCloseTo(0.4545454545454545, 12);
  });

  it('throws INVALID_ARGUMENT on unknown weights', () => {
    expect(() => cohenKappa([0, 1], [0, 1], { weights: 'cubic' as 'linear' })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'weights' }),
    );
  });
});

describe('matthewsCorrcoef', () => {
  it('is 0 when one labeling has a single class', () => {
    expect(matthewsCorrcoef([0, 1, 0], [1, 1, 1])).toBe(0);
  });

  it('matches sklearn matthews_corrcoef', () => {
    // sklearn.metrics.matthews_corrcoef([1,1,1,0],[1,0,1,1]) == -0.3333333333333333
    expect(matthewsCorrcoef([1, 1, 1, 0], [1, 0, 1, 1])).toBeCloseTo(-1 / 3, 12);
  });
});
