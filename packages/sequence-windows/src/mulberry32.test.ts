import { describe, expect, it } from 'vitest';
import { mulberry32 } from './mulberry32';

describe('mulberry32', () => {
  it('should give the reference mulberry32 stream for a seed', () => {
    const rng = mulberry32(42);
    // Reference: the public-domain C/JS mulberry32 with state 42.
    expect(rng()).toBe(0.6011037519201636);
    expect(rng()).toBe(0.44829055899754167);
  });

  it('should repeat the same stream for the same seed and differ for another seed', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const c = mulberry32(8);
    const sa = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(sa);
    expect(Array.from({ length: 5 }, c)).not.toEqual(sa);
  });

  it('should return floats in [0, 1) with a mean near 0.5', () => {
    const rng = mulberry32(123);
    let sum = 0;
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const v = rng();
      if (!(v >= 0 && v < 1)) outside++;
      sum += v;
    }
    expect(outside).toBe(0);
    expect(sum / 100_000).toBeCloseTo(0.5, 2);
  });

  it('should throw INVALID_ARGUMENT for a non-integer seed', () => {
    expect(() => mulberry32(1.5)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'seed' }),
    );
  });
});
