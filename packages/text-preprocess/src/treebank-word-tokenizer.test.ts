import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import TreebankWordTokenizer from 'natural/lib/natural/tokenizers/treebank_word_tokenizer.js';
import { describe, expect, it } from 'vitest';
import { treebankWordTokenize } from './treebank-word-tokenizer';

const natural = new TreebankWordTokenizer();
const si650 = '/work/shared/datasets/si650-sentiment/training.txt';

describe('treebankWordTokenize', () => {
  it("should split contractions and punctuation as natural's TreebankWordTokenizer", () => {
    const text = "I can't believe they'd gonna say \"cannot\", Whaddya think? It's 3.5 o'clock.";
    expect(treebankWordTokenize(text)).toEqual(natural.tokenize(text));
    expect(treebankWordTokenize("can't stop.")).toEqual(['ca', "n't", 'stop', '.']);
  });

  it('should agree with natural on arbitrary text (property)', () => {
    const chars = fc.constantFrom(...'abcdnt\'.,;!?-/ \n"()DTWGL'.split(''));
    fc.assert(
      fc.property(fc.string({ unit: chars, maxLength: 40 }), (text) => {
        expect(treebankWordTokenize(text)).toEqual(natural.tokenize(text));
      }),
      { seed: 11, numRuns: 500 },
    );
  });

  it.skipIf(!existsSync(si650))('should agree with natural on the 7,086 SI650 sentences', () => {
    const lines = readFileSync(si650, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(7086);
    const differing = lines.filter(
      (line) =>
        JSON.stringify(treebankWordTokenize(line)) !== JSON.stringify(natural.tokenize(line)),
    );
    expect(differing).toEqual([]);
  });
});
