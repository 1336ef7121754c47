import { describe, expect, it } from 'vitest';
import { flushDenormals } from './flush-denormals';

describe('flushDenormals', () => {
  it('zeroes magnitudes below 2^-96 of either sign, subnormals included, and counts them', () => {
    const values = new Float32Array([1e-40, -1e-40, 1e-30, -1e-30, 2 ** -97, 0, -0]);
    expect(flushDenormals(values)).toBe(5);
    expect(Array.from(values)).toEqual([0, 0, 0, 0, 0, 0, -0]);
  });

  it('leaves 2^-96 and everything larger, infinities and NaN as they are', () => {
    const input = [2 ** -96, -(2 ** -95), 1e-20, 1, -3.5, Number.POSITIVE_INFINITY, Number.NaN];
    const values = new Float32Array(input);
    expect(flushDenormals(values)).toBe(0);
    expect(Array.from(values)).toEqual(Array.from(new Float32Array(input)));
  });

  it('works on a view into a larger buffer without touching the rest', () => {
    const buffer = new Float32Array([1e-40, 1e-40, 1e-40, 1e-40]);
    expect(flushDenormals(buffer.subarray(1, 3))).toBe(2);
    expect(buffer[0]).toBe(Math.fround(1e-40));
    expect(Array.from(buffer.subarray(1, 3))).toEqual([0, 0]);
    expect(buffer[3]).toBe(Math.fround(1e-40));
  });
});
