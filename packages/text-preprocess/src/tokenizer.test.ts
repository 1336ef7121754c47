import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { padSequences } from './pad-sequences';
import { tokenize } from './tokenize';
import { KERAS_FILTERS, Tokenizer, textToWordSequence } from './tokenizer';

// The corpus of TensorFlow's "NLP Zero to Hero" notebooks; the expected values below are the
// outputs printed there by tf.keras.preprocessing.text.Tokenizer(num_words=100, oov_token="<OOV>").
const sentences = [
  'I love my dog',
  'I love my cat',
  'You love my dog!',
  'Do you think my dog is amazing?',
];

const fixture = readFileSync(
  new URL('./__fixtures__/keras-tokenizer.json', import.meta.url),
  'utf8',
);

describe('textToWordSequence', () => {
  it("should lower-case, drop Keras' filter characters and split on spaces", () => {
    expect(textToWordSequence("The cat's hat,\tthe END.")).toEqual([
      'the',
      "cat's",
      'hat',
      'the',
      'end',
    ]);
  });

  it('should honour filters, lower and split', () => {
    expect(textToWordSequence('A-B|C', { filters: '-', lower: false, split: '|' })).toEqual([
      'A',
      'B',
      'C',
    ]);
  });
});

describe('Tokenizer', () => {
  it("should use Keras' default options", () => {
    const t = new Tokenizer();
    expect(t.numWords).toBeNull();
    expect(t.filters).toBe('!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n');
    expect(KERAS_FILTERS).toBe(t.filters);
    expect([t.lower, t.split, t.charLevel, t.oovToken]).toEqual([true, ' ', false, null]);
  });

  it('should index by descending frequency with ties in order of first appearance', () => {
    const t = new Tokenizer({ numWords: 100 });
    t.fitOnTexts(sentences.slice(0, 3));
    // Keras: {'love': 1, 'my': 2, 'i': 3, 'dog': 4, 'cat': 5, 'you': 6}
    expect(Object.fromEntries(t.wordIndex)).toEqual({
      love: 1,
      my: 2,
      i: 3,
      dog: 4,
      cat: 5,
      you: 6,
    });
  });

  it('should put the OOV token at index 1 and map unseen words to it', () => {
    const t = new Tokenizer({ numWords: 100, oovToken: '<OOV>' });
    t.fitOnTexts(sentences);
    expect(Object.fromEntries(t.wordIndex)).toEqual({
      '<OOV>': 1,
      my: 2,
      love: 3,
      dog: 4,
      i: 5,
      you: 6,
      cat: 7,
      do: 8,
      think: 9,
      is: 10,
      amazing: 11,
    });
    expect(t.textsToSequences(sentences)).toEqual([
      [5, 3, 2, 4],
      [5, 3, 2, 7],
      [6, 3, 2, 4],
      [8, 6, 9, 2, 4, 10, 11],
    ]);
    expect(t.textsToSequences(['i really love my dog', 'my dog loves my manatee'])).toEqual([
      [5, 1, 3, 2, 4],
      [2, 4, 1, 2, 1],
    ]);
    expect(padSequences(t.textsToSequences(sentences), { maxlen: 5 })).toEqual([
      [0, 5, 3, 2, 4],
      [0, 5, 3, 2, 7],
      [0, 6, 3, 2, 4],
      [9, 2, 4, 10, 11],
    ]);
  });

  it('should keep only indices below numWords, the rest becoming OOV or dropped', () => {
    const withOov = new Tokenizer({ numWords: 4, oovToken: '<OOV>' });
    withOov.fitOnTexts(sentences);
    expect(withOov.wordIndex.size).toBe(11); // fitting indexes every word, as in Keras
    expect(withOov.textsToSequences(['my dog is amazing'])).toEqual([[2, 1, 1, 1]]);
    expect(withOov.sequencesToTexts([[2, 3, 4, 99]])).toEqual(['my love <OOV> <OOV>']);
    const noOov = new Tokenizer({ numWords: 3 });
    noOov.fitOnTexts(sentences);
    expect(noOov.textsToSequences(['my love dog cat'])).toEqual([[1, 2]]);
    expect(noOov.sequencesToTexts([[1, 2, 3, 42]])).toEqual(['my love']);
  });

  it('should count words and documents as Keras does', () => {
    const t = new Tokenizer();
    t.fitOnTexts(['a a b', 'b c']);
    expect(t.documentCount).toBe(2);
    expect([...t.wordCounts]).toEqual([
      ['a', 2],
      ['b', 2],
      ['c', 1],
    ]);
    expect(Object.fromEntries(t.wordDocs)).toEqual({ a: 1, b: 2, c: 1 });
    expect(Object.fromEntries(t.indexDocs)).toEqual({ 1: 1, 2: 2, 3: 1 });
    expect(t.vocabularySize).toBe(4);
  });

  it('should tokenize characters without filtering with charLevel', () => {
    const t = new Tokenizer({ charLevel: true });
    t.fitOnTexts(['Abba!']);
    // 'abba!' after lower-casing: a and b twice each (a seen first), then '!'
    expect(Object.fromEntries(t.wordIndex)).toEqual({ a: 1, b: 2, '!': 3 });
    expect(t.textsToSequences(['ba?'])).toEqual([[2, 1]]);
    expect(t.sequencesToTexts([[2, 1]])).toEqual(['b a']); // Keras joins with spaces here too
  });

  it('should accept lists of tokens and an analyzer', () => {
    const t = new Tokenizer({ analyzer: (text) => tokenize(text, { stem: true }) });
    t.fitOnTexts(['Running runners run']);
    expect([...t.wordIndex.keys()]).toEqual(['run', 'runner']);
    const listed = new Tokenizer();
    listed.fitOnTexts([['New York', 'IS', 'big']]);
    expect([...listed.wordIndex.keys()]).toEqual(['new york', 'is', 'big']);
  });

  describe('textsToMatrix', () => {
    const t = new Tokenizer({ oovToken: '<OOV>' });
    t.fitOnTexts(['the cat sat', 'the the dog']);
    // word_index {'<OOV>': 1, 'the': 2, 'cat': 3, 'sat': 4, 'dog': 5}; width = 6

    it('should write binary, count and freq rows', () => {
      expect(t.textsToMatrix(['the the cat'])).toEqual([[0, 0, 1, 1, 0, 0]]);
      expect(t.textsToMatrix(['the the cat'], 'count')).toEqual([[0, 0, 2, 1, 0, 0]]);
      expect(t.textsToMatrix(['the the cat zebra'], 'freq')).toEqual([[0, 0.25, 0.5, 0.25, 0, 0]]);
    });

    it("should weight tfidf as Keras' scheme 2", () => {
      const [row] = t.textsToMatrix(['the the cat'], 'tfidf');
      // (1 + ln 2) · ln(1 + 2 / (1 + 2)) and (1 + ln 1) · ln(1 + 2 / (1 + 1))
      expect(row[2]).toBeCloseTo((1 + Math.log(2)) * Math.log(1 + 2 / 3), 12);
      expect(row[3]).toBeCloseTo(Math.log(2), 12);
      expect(row[0]).toBe(0);
    });

    it('should be numWords wide when numWords is set', () => {
      const small = new Tokenizer({ numWords: 3 });
      small.fitOnTexts(['a b c d']);
      expect(small.textsToMatrix(['a c d'], 'count')).toEqual([[0, 1, 0]]);
    });

    it('should throw for an unknown mode and for tfidf before fitting', () => {
      expect(() => t.textsToMatrix(['the'], 'tf' as 'binary')).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'mode' }),
      );
      expect(() => new Tokenizer({ numWords: 5 }).sequencesToMatrix([[1]], 'tfidf')).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'mode' }),
      );
      expect(() => new Tokenizer().sequencesToMatrix([[1]])).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'numWords' }),
      );
    });
  });

  it('should reject numWords < 1 and other bad options', () => {
    for (const numWords of [0, -3, 2.5]) {
      expect(() => new Tokenizer({ numWords })).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'numWords' }),
      );
    }
    expect(() => new Tokenizer({ split: '' })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'split' }),
    );
  });

  it('should not mutate the texts it fits on', () => {
    const texts = [['A', 'B']];
    new Tokenizer().fitOnTexts(texts);
    expect(texts).toEqual([['A', 'B']]);
  });

  it('should round-trip texts of known words through sequences (property)', () => {
    const word = fc.stringMatching(/^[a-z0-9']{1,8}$/);
    fc.assert(
      fc.property(
        fc.array(fc.array(word, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 6 }),
        (docs) => {
          const texts = docs.map((d) => d.join(' '));
          const t = new Tokenizer({ oovToken: '<OOV>' });
          t.fitOnTexts(texts);
          expect(t.sequencesToTexts(t.textsToSequences(texts))).toEqual(texts);
          const indices = [...t.wordIndex.values()].sort((a, b) => a - b);
          expect(indices).toEqual(indices.map((_, i) => i + 1));
          const back = Tokenizer.fromJSON(t.toKerasJSON());
          expect(back.textsToSequences(texts)).toEqual(t.textsToSequences(texts));
        },
      ),
      { seed: 20261123, numRuns: 150 },
    );
  });
});

describe('Tokenizer JSON (Keras to_json / tokenizer_from_json)', () => {
  it('should load a Keras tokenizer JSON and use it', () => {
    const t = Tokenizer.fromJSON(fixture);
    expect(t.numWords).toBe(10);
    expect(t.oovToken).toBe('<OOV>');
    expect(t.documentCount).toBe(3);
    expect(t.wordIndex.get('très')).toBe(13);
    expect(t.indexWord.get(11)).toBe('ça');
    // 'a' and 'fish' are unknown; 'très' (13), 'bien' (14) and '2020' (16) are not below numWords
    expect(t.textsToSequences(['The cat ate a fish', 'très bien 2020'])).toEqual([
      [2, 3, 8, 1, 1],
      [1, 1, 1],
    ]);
    expect(
      t.sequencesToTexts([
        [2, 3, 8, 1],
        [13, 99],
      ]),
    ).toEqual(['the cat ate <OOV>', '<OOV> <OOV>']);
    expect(t.textsToMatrix(['the the cat'], 'count')).toEqual([[0, 0, 2, 1, 0, 0, 0, 0, 0, 0]]);
  });

  it('should keep the order of word_counts, integer-like words included', () => {
    const t = Tokenizer.fromJSON(fixture);
    const words = [...t.wordCounts.keys()];
    expect(words[0]).toBe('the');
    expect(words.at(-1)).toBe('2020');
  });

  it('should write what Keras writes for the same texts', () => {
    const t = new Tokenizer({ numWords: 10, oovToken: '<OOV>' });
    t.fitOnTexts([
      'The cat sat on the mat.',
      'The dog ate my homework!',
      'Ça va? Très bien, merci. 2020',
    ]);
    const ours = JSON.parse(t.toKerasJSON());
    const keras = JSON.parse(fixture);
    // word_docs and index_docs follow Python's set order in Keras, so compare them as sets
    for (const key of ['word_docs', 'index_docs']) {
      expect(Object.entries(JSON.parse(ours.config[key])).sort()).toEqual(
        Object.entries(JSON.parse(keras.config[key])).sort(),
      );
      delete ours.config[key];
      delete keras.config[key];
    }
    expect(ours).toEqual(keras);
    // byte for byte, once word_docs and index_docs are written in the fixture's order
    const sameOrder = Tokenizer.fromJSON(fixture);
    expect(sameOrder.toKerasJSON()).toBe(fixture);
  });

  it('should give JSON.stringify the same object', () => {
    const t = Tokenizer.fromJSON(fixture);
    expect(JSON.parse(JSON.stringify(t))).toEqual(JSON.parse(fixture));
    expect(Tokenizer.fromJSON(t.toJSON()).toKerasJSON()).toBe(fixture);
  });

  it('should throw BAD_JSON for what is not a Keras tokenizer', () => {
    for (const bad of [
      '{oops',
      '{"class_name": "Tokenizer"}',
      '{"config": {"word_index": "[1, 2]"}}',
    ]) {
      expect(() => Tokenizer.fromJSON(bad)).toThrow(expect.objectContaining({ code: 'BAD_JSON' }));
    }
    expect(() => Tokenizer.fromJSON('{"config": {"num_words": 0}}')).toThrow(
      expect.objectContaining({ code: 'BAD_JSON' }),
    );
  });
});

describe('Tokenizer JSON with any characters (property)', () => {
  it('should survive toKerasJSON and fromJSON for words of any Unicode characters', () => {
    const word = fc
      .string({ unit: 'binary', minLength: 1, maxLength: 6 })
      .filter((w) => !w.includes(' '));
    fc.assert(
      fc.property(
        fc.array(fc.array(word, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }),
        (docs) => {
          const t = new Tokenizer({ filters: '', lower: false, oovToken: '<unk>' });
          t.fitOnTexts(docs);
          const back = Tokenizer.fromJSON(t.toKerasJSON());
          expect([...back.wordCounts]).toEqual([...t.wordCounts]);
          expect([...back.wordIndex]).toEqual([...t.wordIndex]);
          expect([...back.indexWord]).toEqual([...t.indexWord]);
          expect(back.toKerasJSON()).toBe(t.toKerasJSON());
        },
      ),
      { seed: 99, numRuns: 200 },
    );
  });
});

const si650 = '/work/shared/datasets/si650-sentiment/training.txt';

describe.skipIf(!existsSync(si650))('Tokenizer on the SI650 sentences', () => {
  const texts = readFileSync(si650, 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.slice(line.indexOf('\t') + 1));

  it('should count every token and index every word once', () => {
    const t = new Tokenizer({ oovToken: '<OOV>' });
    t.fitOnTexts(texts);
    expect(t.documentCount).toBe(7086);
    const tokens = texts.flatMap((text) => textToWordSequence(text));
    expect([...t.wordCounts.values()].reduce((a, b) => a + b, 0)).toBe(tokens.length);
    expect(t.wordIndex.size).toBe(t.wordCounts.size + 1);
    const counts = [...t.wordIndex.keys()].slice(1).map((w) => t.wordCounts.get(w)!);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(t.sequencesToTexts(t.textsToSequences(texts))).toEqual(
      texts.map((text) => textToWordSequence(text).join(' ')),
    );
  });

  it('should keep only indices below numWords and survive the Keras JSON', () => {
    const t = new Tokenizer({ numWords: 500, oovToken: '<OOV>' });
    t.fitOnTexts(texts);
    const sequences = t.textsToSequences(texts);
    expect(Math.max(...sequences.flat())).toBeLessThan(500);
    expect(Tokenizer.fromJSON(t.toKerasJSON()).textsToSequences(texts)).toEqual(sequences);
  });
});
