import { describe, expect, it } from 'vitest';
import { ppmiVectors } from './ppmi-vectors';

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
  return dot; // rows are unit length
}

// Two kinds of sentences: praise words share contexts with each other, complaint words too.
const praise = ['good', 'great', 'superb'];
const complaint = ['bad', 'awful', 'dull'];
const docs: string[][] = [];
for (let i = 0; i < 60; i++) {
  docs.push(['the', 'film', 'was', praise[i % 3], 'and', 'fun', 'loved', 'it']);
  docs.push(['the', 'plot', 'was', complaint[i % 3], 'and', 'slow', 'hated', 'it']);
}
const vocabulary = ['<pad>', '<unk>', ...new Set(docs.flat())];

describe('ppmiVectors', () => {
  const vectors = ppmiVectors(docs, vocabulary, { dim: 4, window: 2, seed: 1 });

  it('gives one unit-length vector of size dim per vocabulary word', () => {
    expect(vectors.size).toBe(vocabulary.length);
    expect(vectors.dim).toBe(4);
    const good = vectors.get('good')!;
    expect(Math.hypot(...good)).toBeCloseTo(1, 5);
  });

  it('puts words used in the same contexts closer than words used in opposite ones', () => {
    const get = (w: string) => vectors.get(w)!;
    expect(cosine(get('good'), get('great'))).toBeGreaterThan(0.9);
    expect(cosine(get('bad'), get('awful'))).toBeGreaterThan(0.9);
    expect(cosine(get('good'), get('awful'))).toBeLessThan(cosine(get('good'), get('great')) - 0.3);
  });

  it('is deterministic for a seed and leaves words that never occur at zero', () => {
    const again = ppmiVectors(docs, vocabulary, { dim: 4, window: 2, seed: 1 });
    expect(Array.from(again.get('dull')!)).toEqual(Array.from(vectors.get('dull')!));
    expect(Array.from(vectors.get('<pad>')!)).toEqual([0, 0, 0, 0]);
  });
});
