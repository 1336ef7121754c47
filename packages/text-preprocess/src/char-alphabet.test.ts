import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CharAlphabet } from './char-alphabet';
import { NAME_LETTERS, unicodeToAscii } from './unicode-to-ascii';

const namesDir = '/work/shared/datasets/names';

describe('CharAlphabet', () => {
  it('should index the given letters from 0 by default', () => {
    const alphabet = new CharAlphabet('abc');
    expect(alphabet.size).toBe(3);
    expect(alphabet.encode('cab')).toEqual([2, 0, 1]);
    expect(alphabet.indexOf('b')).toBe(1);
    expect(alphabet.indexOf('z')).toBe(-1);
    expect(alphabet.paddingIndex).toBeUndefined();
    expect(alphabet.unknownIndex).toBeUndefined();
  });

  it('should reserve 0 for padding and 1 for unknown when both are asked for', () => {
    const alphabet = new CharAlphabet('abc', { padding: true, unknown: 'token' });
    expect(alphabet.size).toBe(5);
    expect(alphabet.paddingIndex).toBe(0);
    expect(alphabet.unknownIndex).toBe(1);
    expect(alphabet.encode('a?c')).toEqual([2, 1, 4]);
    expect(alphabet.decode([0, 0, 2, 1, 4])).toBe('a\uFFFDc');
  });

  it('should put the unknown index at 0 without padding', () => {
    const alphabet = new CharAlphabet('ab', { unknown: 'token', unknownChar: '?' });
    expect(alphabet.encode('xb')).toEqual([0, 2]);
    expect(alphabet.decode([0, 2])).toBe('?b');
  });

  it('should throw UNKNOWN_TOKEN for an unknown character by default', () => {
    expect(() => new CharAlphabet('ab').encode('abc')).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_TOKEN', argument: 'text' }),
    );
  });

  it("should leave unknown characters out with unknown: 'skip'", () => {
    expect(new CharAlphabet('ab', { unknown: 'skip' }).encode('axbyb')).toEqual([0, 1, 1]);
  });

  it('should treat characters as code points', () => {
    const alphabet = new CharAlphabet(['😀', 'a']);
    expect(alphabet.encode('a😀')).toEqual([1, 0]);
    expect(alphabet.decode([0, 1])).toBe('😀a');
  });

  it('should reject repeated letters, multi-character entries and an unknown policy', () => {
    expect(() => new CharAlphabet('aba')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'letters' }),
    );
    expect(() => new CharAlphabet(['ab'])).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'letters' }),
    );
    expect(() => new CharAlphabet('ab', { unknown: 'ignore' as unknown as 'skip' })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'unknown' }),
    );
  });

  it('should reject ids outside [0, size) when decoding', () => {
    expect(() => new CharAlphabet('ab').decode([2])).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'ids' }),
    );
  });

  it('should round-trip through toJSON and fromJSON, as object and as string', () => {
    const alphabet = new CharAlphabet('xyz', { padding: true, unknown: 'token' });
    for (const json of [alphabet.toJSON(), JSON.stringify(alphabet)]) {
      const back = CharAlphabet.fromJSON(json);
      expect(back.toJSON()).toEqual(alphabet.toJSON());
      expect(back.encode('zq')).toEqual(alphabet.encode('zq'));
    }
  });

  it('should throw BAD_JSON for JSON of something else', () => {
    expect(() => CharAlphabet.fromJSON('{"className":"Tokenizer"}')).toThrow(
      expect.objectContaining({ code: 'BAD_JSON' }),
    );
    expect(() => CharAlphabet.fromJSON('{not json')).toThrow(
      expect.objectContaining({ code: 'BAD_JSON' }),
    );
  });

  it('should decode what it encodes (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (text) => {
        const alphabet = CharAlphabet.fromCorpus([text], { padding: true });
        expect(alphabet.decode(alphabet.encode(text))).toBe(text);
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe('CharAlphabet.fromCorpus', () => {
  it('should sort characters by code point by default', () => {
    expect(CharAlphabet.fromCorpus(['banana', 'band']).letters.join('')).toBe('abdn');
  });

  it('should order by frequency with ties in order of first appearance', () => {
    expect(
      CharAlphabet.fromCorpus(['banana', 'band'], { order: 'frequency' }).letters.join(''),
    ).toBe('anbd');
    expect(CharAlphabet.fromCorpus(['xyzzy'], { order: 'frequency' }).letters.join('')).toBe('yzx');
  });

  it('should keep first-seen order with firstSeen', () => {
    expect(CharAlphabet.fromCorpus(['banana', 'band'], { order: 'firstSeen' }).letters).toEqual([
      'b',
      'a',
      'n',
      'd',
    ]);
  });

  it('should apply minFreq and maxSize', () => {
    expect(CharAlphabet.fromCorpus(['banana', 'band'], { minFreq: 2 }).letters.join('')).toBe(
      'abn',
    );
    expect(CharAlphabet.fromCorpus(['banana', 'band'], { maxSize: 2 }).letters.join('')).toBe('an');
  });

  it('should reject a bad minFreq, maxSize or order', () => {
    expect(() => CharAlphabet.fromCorpus(['a'], { minFreq: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'minFreq' }),
    );
    expect(() => CharAlphabet.fromCorpus(['a'], { maxSize: 1.5 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'maxSize' }),
    );
    expect(() =>
      CharAlphabet.fromCorpus(['a'], { order: 'random' as unknown as 'sorted' }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'order' }));
  });

  it('should not mutate its input', () => {
    const texts = ['b', 'a'];
    CharAlphabet.fromCorpus(texts);
    expect(texts).toEqual(['b', 'a']);
  });
});

describe.skipIf(!existsSync(namesDir))('CharAlphabet on the real surnames', () => {
  const names = readdirSync(namesDir)
    .filter((f) => f.endsWith('.txt'))
    .flatMap((f) => readFileSync(join(namesDir, f), 'utf8').trim().split('\n'));

  it("should encode every ASCII-folded surname with the tutorial's 57 letters", () => {
    const alphabet = new CharAlphabet(NAME_LETTERS);
    expect(alphabet.size).toBe(57);
    for (const name of names) {
      const ascii = unicodeToAscii(name);
      expect(alphabet.decode(alphabet.encode(ascii))).toBe(ascii);
    }
  });

  it('should find the characters of the raw files, accents included', () => {
    const alphabet = CharAlphabet.fromCorpus(names);
    expect(alphabet.has('é')).toBe(true);
    expect(alphabet.has('ß')).toBe(true);
    const folded = CharAlphabet.fromCorpus(names.map((n) => unicodeToAscii(n)));
    expect(folded.size).toBeLessThanOrEqual(57);
    expect(folded.has('é')).toBe(false);
  });
});
