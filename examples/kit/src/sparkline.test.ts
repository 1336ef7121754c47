import { describe, expect, it } from 'vitest';
import { sparkline } from './sparkline';

describe('sparkline', () => {
  it('draws one block per value from the lowest to the highest', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe('▁▂▃▄▅▆▇█');
  });

  it('uses a shared scale when min and max are given, and a space for non-finite values', () => {
    expect(sparkline([0, Number.NaN, 10], { min: 0, max: 20 })).toBe('▁ ▅');
  });

  it('draws a constant series on the lowest block', () => {
    expect(sparkline([3, 3, 3])).toBe('▁▁▁');
  });
});
