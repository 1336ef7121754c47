import { describe, expect, it } from 'vitest';
import { formatFixed } from './python-format';

describe('formatFixed', () => {
  it("rounds exact ties half to even as Python's format does", () => {
    expect(formatFixed(0.125, 2)).toBe('0.12'); // '{:.2f}'.format(0.125)
    expect(formatFixed(0.375, 2)).toBe('0.38');
    expect(formatFixed(2.5, 0)).toBe('2');
    expect(formatFixed(0.675, 2)).toBe('0.68'); // not a tie in binary: 0.67500000000000004
  });

  it('prints nan and inf as Python does', () => {
    expect(formatFixed(Number.NaN, 2)).toBe('nan');
    expect(formatFixed(Number.POSITIVE_INFINITY, 2)).toBe('inf');
  });
});
