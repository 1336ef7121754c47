import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from './random';
import { sampleNext } from './sample-next';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function frequencies(
  logits: number[],
  options: Parameters<typeof sampleNext>[1],
  n = 4000,
): number[] {
  const random = mulberry32(123);
  const counts = logits.map(() => 0);
  for (let i = 0; i < n; i++) counts[sampleNext(logits, { ...options, random })] += 1;
  return counts.map((c) => c / n);
}

describe('sampleNext', () => {
  it('is greedy at temperature 0', () => {
    expect(sampleNext([0.1, 3, 2], { temperature: 0 })).toBe(1);
  });

  it('draws with the softmax probabilities at temperature 1', () => {
    // softmax([0, ln 3]) = [0.25, 0.75]
    const [p0, p1] = frequencies([0, Math.log(3)], {});
    expect(p0).toBeCloseTo(0.25, 1);
    expect(p1).toBeCloseTo(0.75, 1);
  });

  it('flattens at a high temperature and sharpens at a low one', () => {
    const logits = [0, Math.log(3)];
    expect(frequencies(logits, { temperature: 100 })[0]).toBeGreaterThan(0.45);
    expect(frequencies(logits, { temperature: 0.2 })[0]).toBeLessThan(0.01);
  });

  it('keeps only the topK most likely indices', () => {
    const f = frequencies([1, 5, 4, 0], { topK: 2, temperature: 5 });
    expect(f[0]).toBe(0);
    expect(f[3]).toBe(0);
    expect(f[1] + f[2]).toBe(1);
  });

  it('treats probabilities as their logs with fromProbabilities', () => {
    const a = frequencies([0.25, 0.75], { fromProbabilities: true });
    const b = frequencies([0, Math.log(3)], {});
    expect(a).toEqual(b);
  });

  it('gives the same draw for the same seed and accepts tensors', () => {
    const logits = tf.tensor1d([0.3, 0.2, 0.5, 0.1]);
    const draws = [1, 2, 3, 4, 5, 6].map((seed) => sampleNext(logits, { seed }));
    expect([1, 2, 3, 4, 5, 6].map((seed) => sampleNext(logits, { seed }))).toEqual(draws);
  });

  it('rejects a negative temperature and a bad topK', () => {
    expect(() => sampleNext([1, 2], { temperature: -1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'temperature' }),
    );
    expect(() => sampleNext([1, 2], { topK: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'topK' }),
    );
  });
});
