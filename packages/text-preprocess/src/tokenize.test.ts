import { describe, expect, it } from 'vitest';
import { tokenize } from './tokenize';

describe('tokenize', () => {
  const text = "The runners can't stop running, e-mail me!";

  it("should use natural's WordTokenizer and lower-case by default", () => {
    expect(tokenize(text)).toEqual([
      'the',
      'runners',
      'can',
      't',
      'stop',
      'running',
      'e',
      'mail',
      'me',
    ]);
  });

  it('should split contractions and keep punctuation with treebank', () => {
    expect(tokenize(text, { tokenizer: 'treebank', lower: false })).toEqual([
      'The',
      'runners',
      'ca',
      "n't",
      'stop',
      'running',
      ',',
      'e-mail',
      'me',
      '!',
    ]);
  });

  it("should keep ', - and / inside words with aggressive", () => {
    expect(tokenize(text, { tokenizer: 'aggressive' })).toEqual([
      'the',
      'runners',
      "can't",
      'stop',
      'running',
      'e-mail',
      'me',
    ]);
  });

  it("should remove natural's English stop words and stem with Porter", () => {
    expect(
      tokenize('The runners were running and jumped', { stopWords: true, stem: true }),
    ).toEqual(['runner', 'run', 'jump']);
    expect(tokenize('generalizations', { stem: true })).toEqual(['gener']);
  });

  it('should remove a given list of stop words, compared in lower case', () => {
    expect(tokenize('Stop the Cat', { lower: false, stopWords: ['cat', 'THE'] })).toEqual(['Stop']);
  });

  it('should throw for an unknown tokenizer or bad stopWords', () => {
    expect(() => tokenize('a', { tokenizer: 'bert' as 'word' })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'tokenizer' }),
    );
    expect(() => tokenize('a', { stopWords: 'french' as 'english' })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'stopWords' }),
    );
  });
});
