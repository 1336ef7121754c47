import { describe, expect, it } from 'vitest';
import { Vocabulary } from './vocabulary';

const corpus = [
  ['a', 'b', 'a'],
  ['c', 'a', 'b', 'd'],
];

describe('Vocabulary', () => {
  it('should put the specials first, then tokens by count with ties in first-seen order', () => {
    const vocab = Vocabulary.fromCorpus(corpus);
    expect(vocab.tokens).toEqual(['<pad>', '<unk>', 'a', 'b', 'c', 'd']);
    expect(vocab.specials).toEqual(['<pad>', '<unk>']);
    expect(vocab.oovIndex).toBe(1);
  });

  it('should apply minFreq and maxSize (specials included)', () => {
    expect(Vocabulary.fromCorpus(corpus, { minFreq: 2 }).tokens).toEqual([
      '<pad>',
      '<unk>',
      'a',
      'b',
    ]);
    expect(Vocabulary.fromCorpus(corpus, { maxSize: 3 }).tokens).toEqual(['<pad>', '<unk>', 'a']);
  });

  it('should look unknown tokens up as the OOV index', () => {
    const vocab = Vocabulary.fromCorpus(corpus);
    expect(vocab.encode(['a', 'zebra', 'd'])).toEqual([2, 1, 5]);
    expect(vocab.decode([2, 1, 5])).toEqual(['a', '<unk>', 'd']);
  });

  it('should throw UNKNOWN_TOKEN without an OOV token', () => {
    const vocab = new Vocabulary(['x', 'y'], { oovToken: null });
    expect(vocab.indexOf('y')).toBe(1);
    expect(() => vocab.indexOf('z')).toThrow(expect.objectContaining({ code: 'UNKNOWN_TOKEN' }));
  });

  it('should throw typed errors for bad input', () => {
    expect(() => new Vocabulary(['a', 'a'], { oovToken: null })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'tokens' }),
    );
    expect(() => new Vocabulary(['a'])).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'oovToken' }),
    );
    expect(() => Vocabulary.fromCorpus(corpus, { minFreq: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'minFreq' }),
    );
    expect(() => Vocabulary.fromCorpus(corpus, { maxSize: 1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'maxSize' }),
    );
    expect(() => new Vocabulary(['a'], { oovToken: null }).tokenAt(5)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'index' }),
    );
  });

  it('should round-trip through JSON', () => {
    const vocab = Vocabulary.fromCorpus(corpus, { specials: ['<pad>', '<unk>', '<bos>'] });
    const back = Vocabulary.fromJSON(JSON.stringify(vocab));
    expect(back.toJSON()).toEqual(vocab.toJSON());
    expect(back.encode(['<bos>', 'q'])).toEqual([2, 1]);
    expect(() => Vocabulary.fromJSON('{"className":"CharAlphabet"}')).toThrow(
      expect.objectContaining({ code: 'BAD_JSON' }),
    );
  });
});
