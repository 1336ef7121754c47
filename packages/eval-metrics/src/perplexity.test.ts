import { describe, expect, it } from 'vitest';
import { bitsPerChar, perplexity } from './perplexity';

describe('perplexity and bitsPerChar', () => {
  it('convert a cross-entropy in nats', () => {
    expect(perplexity(Math.log(27))).toBeCloseTo(27, 12);
    expect(bitsPerChar(Math.LN2 * 1.5)).toBeCloseTo(1.5, 12);
    expect(bitsPerChar(Math.log(27))).toBeCloseTo(Math.log2(27), 12);
  });

  it('throw INVALID_VALUE on NaN or a negative cross-entropy', () => {
    expect(() => perplexity(Number.NaN)).toThrow(
      expect.objectContaining({ code: 'INVALID_VALUE', argument: 'crossEntropy' }),
    );
    expect(() => bitsPerChar(-1)).toThrow(expect.objectContaining({ code: 'INVALID_VALUE' }));
  });
});
