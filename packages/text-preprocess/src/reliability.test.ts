// Malformed input must fail loudly, with a TextPreprocessError that names the argument (and the
// position, field or line) at fault, and must leave the objects it was given as they were.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildEmbeddingMatrix } from './build-embedding-matrix';
import { CharAlphabet } from './char-alphabet';
import { TextPreprocessError, type TextPreprocessErrorCode } from './errors';
import { lengthStats } from './length-stats';
import { loadWordVectors } from './load-word-vectors';
import { oneHotArray } from './one-hot';
import { padSequences } from './pad-sequences';
import { tokenize } from './tokenize';
import { type KerasTokenizerJSON, Tokenizer, textToWordSequence } from './tokenizer';
import { unicodeToAscii } from './unicode-to-ascii';
import { Vocabulary } from './vocabulary';
import { WordVectors } from './word-vectors';

// Reviews from the SI650 sentiment training set (UMich, Kaggle 2011).
const reviews = [
  'The Da Vinci Code book is just awesome.',
  "this was the first clive cussler i've ever read, but even books like Relic, and Da Vinci code were more plausible than this.",
  'i liked the Da Vinci Code a lot.',
  "I liked the Da Vinci Code but it ultimatly didn't seem to hold it's own.",
  'Brokeback Mountain was boring.',
  "Harry Potter is AWESOME I don't care if anyone says differently!..",
];

const kerasFixture = readFileSync(
  new URL('./__fixtures__/keras-tokenizer.json', import.meta.url),
  'utf8',
);

interface Expected {
  code: TextPreprocessErrorCode;
  argument?: string;
  message: RegExp;
}

function check(error: unknown, { code, argument, message }: Expected): void {
  if (!TextPreprocessError.isInstance(error)) {
    throw new Error(`expected a TextPreprocessError, got ${String(error)}`);
  }
  expect(error.code).toBe(code);
  if (argument !== undefined) expect(error.argument).toBe(argument);
  expect(error.message).toMatch(message);
}

function expectError(fn: () => unknown, expected: Expected): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  if (error === undefined) throw new Error(`expected a throw matching ${expected.message}`);
  check(error, expected);
}

async function expectRejection(promise: Promise<unknown>, expected: Expected): Promise<void> {
  let error: unknown;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  if (error === undefined) throw new Error(`expected a rejection matching ${expected.message}`);
  check(error, expected);
}

describe('Tokenizer.fitOnTexts is all or nothing', () => {
  const fitted = () => {
    const t = new Tokenizer({ numWords: 20, oovToken: '<OOV>' });
    t.fitOnTexts(reviews.slice(0, 3));
    return t;
  };

  it('should leave the state as it was when a text midway is not a string', () => {
    for (const make of [() => new Tokenizer({ oovToken: '<OOV>' }), fitted]) {
      const t = make();
      const before = t.toKerasJSON();
      const texts = [reviews[3], reviews[4], 42, reviews[5]] as unknown as string[];
      expectError(() => t.fitOnTexts(texts), {
        code: 'INVALID_ARGUMENT',
        argument: 'texts',
        message: /^texts\[2\]: expected a string or an array of string tokens, got 42$/,
      });
      expect(t.toKerasJSON()).toBe(before);
      expect(t.documentCount).toBe(JSON.parse(before).config.document_count);
    }
  });

  it('should leave the state as it was when a token list holds a non-string', () => {
    const t = fitted();
    const before = t.toKerasJSON();
    const texts = [
      ['harry', 'potter'],
      ['is', null, 'awesome'],
    ] as unknown as string[][];
    expectError(() => t.fitOnTexts(texts), {
      code: 'INVALID_ARGUMENT',
      argument: 'texts',
      message: /^texts\[1\]\[1\]: expected a string token, got null$/,
    });
    expect(t.toKerasJSON()).toBe(before);
  });

  it('should leave the state as it was when a custom analyzer throws, and pass its error on', () => {
    const failure = new Error('stemmer crashed');
    const t = new Tokenizer({
      analyzer: (text) => {
        if (text.startsWith('Brokeback')) throw failure;
        return tokenize(text, { stem: true });
      },
    });
    t.fitOnTexts(reviews.slice(0, 2));
    const before = t.toKerasJSON();
    expect(() => t.fitOnTexts(reviews.slice(2))).toThrow(failure);
    expect(t.toKerasJSON()).toBe(before);
    expect(t.documentCount).toBe(2);
  });

  it('should leave the state as it was when the iterable itself throws midway', () => {
    const t = fitted();
    const before = t.toKerasJSON();
    function* lines() {
      yield reviews[3];
      yield reviews[4];
      throw new Error('stream reset');
    }
    expect(() => t.fitOnTexts(lines())).toThrow('stream reset');
    expect(t.toKerasJSON()).toBe(before);
  });

  it('should reject an analyzer that does not return tokens, without a partial update', () => {
    const t = new Tokenizer({
      analyzer: (text) => (text.length > 35 ? text : text.split(' ')) as string[],
    });
    const before = t.toKerasJSON();
    expectError(() => t.fitOnTexts(reviews), {
      code: 'INVALID_ARGUMENT',
      argument: 'analyzer',
      message: /^analyzer: expected an array of string tokens for texts\[0\], got "The Da Vinci/,
    });
    expect(t.toKerasJSON()).toBe(before);
  });

  it('should still fit as before when every text is good', () => {
    const t = fitted();
    t.fitOnTexts(reviews.slice(3));
    const once = new Tokenizer({ numWords: 20, oovToken: '<OOV>' });
    once.fitOnTexts(reviews);
    expect(t.toKerasJSON()).toBe(once.toKerasJSON());
  });
});

describe('Tokenizer arguments', () => {
  const t = new Tokenizer({ oovToken: '<OOV>' });
  t.fitOnTexts(reviews);

  it('should name the missing argument instead of failing inside a loop', () => {
    const cases: [() => unknown, string][] = [
      [() => new Tokenizer().fitOnTexts(null as unknown as string[]), 'texts'],
      [() => t.textsToSequences(undefined as unknown as string[]), 'texts'],
      [() => t.textsToMatrix(null as unknown as string[]), 'texts'],
      [() => t.sequencesToTexts(undefined as unknown as number[][]), 'sequences'],
      [() => t.sequencesToMatrix(null as unknown as number[][]), 'sequences'],
    ];
    for (const [fn, argument] of cases) {
      expectError(fn, {
        code: 'INVALID_ARGUMENT',
        argument,
        message: new RegExp(`^${argument}: expected an iterable of .*, got (null|undefined)$`),
      });
    }
  });

  it('should refuse a bare string where a list of texts is expected', () => {
    const fresh = new Tokenizer();
    expectError(() => fresh.fitOnTexts(reviews[0]), {
      code: 'INVALID_ARGUMENT',
      argument: 'texts',
      message: /^texts: expected an iterable of texts .*, got a string/,
    });
    expect(fresh.documentCount).toBe(0);
    expectError(() => t.textsToSequences(reviews[4]), {
      code: 'INVALID_ARGUMENT',
      argument: 'texts',
      message: /got a string/,
    });
  });

  it('should name the text that is not a string in textsToSequences', () => {
    expectError(() => t.textsToSequences([reviews[0], undefined as unknown as string]), {
      code: 'INVALID_ARGUMENT',
      argument: 'texts',
      message: /^texts\[1\]: expected a string or an array of string tokens, got undefined$/,
    });
  });

  it('should reject negative or fractional indices in sequencesToMatrix (numpy would wrap -1)', () => {
    const sequences = t.textsToSequences(reviews.slice(0, 2));
    expectError(() => t.sequencesToMatrix([sequences[0], [...sequences[1], -1]]), {
      code: 'INVALID_ARGUMENT',
      argument: 'sequences',
      message: new RegExp(
        `^sequences\\[1\\]\\[${sequences[1].length}\\]: expected a non-negative integer index, got -1$`,
      ),
    });
    expectError(() => t.sequencesToMatrix([[2, 2.5]], 'count'), {
      code: 'INVALID_ARGUMENT',
      argument: 'sequences',
      message: /sequences\[0\]\[1\]: expected a non-negative integer index, got 2\.5/,
    });
    expectError(() => t.sequencesToMatrix([null as unknown as number[]]), {
      code: 'INVALID_ARGUMENT',
      argument: 'sequences',
      message: /^sequences\[0\]: expected an array of indices, got null$/,
    });
  });

  it('should reject an analyzer that is not a function and a text that is not a string', () => {
    expectError(() => new Tokenizer({ analyzer: 'porter' as unknown as null }), {
      code: 'INVALID_ARGUMENT',
      argument: 'analyzer',
      message: /^analyzer: expected a function or null, got "porter"$/,
    });
    expectError(() => textToWordSequence(null as unknown as string), {
      code: 'INVALID_ARGUMENT',
      argument: 'text',
      message: /^text: expected a string, got null$/,
    });
  });
});

describe('padSequences values', () => {
  const sequences = [
    [12, 7, 301],
    [4, 88],
  ];

  it('should reject values it would have turned into 0 or wrapped', () => {
    const cases: [unknown, RegExp][] = [
      [Number.NaN, /^sequences\[1\]\[1\]: expected a finite number, got NaN$/],
      ['88', /^sequences\[1\]\[1\]: expected a number, got "88"$/],
      [[88], /^sequences\[1\]\[1\]: expected a number, got an array/],
      [
        1e10,
        /^sequences\[1\]\[1\]: expected an integer in \[-2147483648, 2147483647\] for dtype 'int32', got 10000000000$/,
      ],
      [Number.POSITIVE_INFINITY, /^sequences\[1\]\[1\]: expected a finite number, got Infinity$/],
    ];
    for (const [bad, message] of cases) {
      const input = [sequences[0], [4, bad]] as number[][];
      expectError(() => padSequences(input), {
        code: 'INVALID_ARGUMENT',
        argument: 'sequences',
        message,
      });
    }
  });

  it("should reject fractions for dtype 'int32' rather than truncate them, and keep them for float32", () => {
    expectError(() => padSequences([[0.25, 0.75]], { maxlen: 3 }), {
      code: 'INVALID_ARGUMENT',
      argument: 'sequences',
      message:
        /^sequences\[0\]\[0\]: expected an integer for dtype 'int32' .*dtype: 'float32'.*, got 0\.25$/,
    });
    expect(padSequences([[0.25, 0.75]], { maxlen: 3, dtype: 'float32' })).toEqual([
      [0, 0.25, 0.75],
    ]);
    expectError(() => padSequences([[0.25, 1e39]], { dtype: 'float32' }), {
      code: 'INVALID_ARGUMENT',
      argument: 'sequences',
      message: /^sequences\[0\]\[1\]: expected a number within float32 range, got 1e\+39$/,
    });
  });

  it('should check values that truncation drops as well', () => {
    expectError(() => padSequences([[Number.NaN, 5, 6]], { maxlen: 2 }), {
      code: 'INVALID_ARGUMENT',
      argument: 'sequences',
      message: /^sequences\[0\]\[0\]: expected a finite number, got NaN$/,
    });
  });

  it('should name a sequence that is not an array', () => {
    expectError(() => padSequences([null, [1]] as unknown as number[][]), {
      code: 'INVALID_ARGUMENT',
      argument: 'sequences',
      message: /^sequences\[0\]: expected an array or typed array of numbers, got null$/,
    });
    expectError(() => padSequences([[3, 4], 'hello'] as unknown as number[][]), {
      code: 'INVALID_ARGUMENT',
      argument: 'sequences',
      message: /^sequences\[1\]: expected an array or typed array of numbers, got "hello"$/,
    });
  });

  it('should check value, maxlen and the options object against the dtype', () => {
    const cases: [unknown, string, RegExp][] = [
      [{ value: 1e10 }, 'value', /^value: expected an integer in \[-2147483648, 2147483647\]/],
      [{ value: -0.5 }, 'value', /^value: expected an integer for dtype 'int32'/],
      [{ value: Number.POSITIVE_INFINITY }, 'value', /^value: expected a finite number/],
      [{ value: '0' }, 'value', /^value: expected a number, got "0"$/],
      [
        { value: 1e39, dtype: 'float32' },
        'value',
        /^value: expected a number within float32 range/,
      ],
      [
        { maxlen: 2 ** 53 },
        'maxlen',
        /^maxlen: expected a non-negative integer.*, got 9007199254740992$/,
      ],
      [{ maxlen: '5' }, 'maxlen', /^maxlen: expected a non-negative integer, got "5"$/],
      [{ maxlen: 2 ** 31 }, 'maxlen', /^maxlen: expected at most 2147483647 values in all/],
      [{ padding: null }, 'padding', /^padding: expected 'pre' or 'post', got null$/],
      [{ truncating: 'end' }, 'truncating', /^truncating: expected 'pre' or 'post', got "end"$/],
    ];
    for (const [options, argument, message] of cases) {
      expectError(() => padSequences(sequences, options as object), {
        code: 'INVALID_ARGUMENT',
        argument,
        message,
      });
    }
    expectError(() => padSequences(sequences, null as unknown as object), {
      code: 'INVALID_ARGUMENT',
      argument: 'options',
      message: /^options: expected an object or undefined, got null$/,
    });
    expect(padSequences(sequences, { value: -1, dtype: 'float32' })).toEqual([
      [12, 7, 301],
      [-1, 4, 88],
    ]);
  });
});

describe('Tokenizer.fromJSON against the Keras tokenizer_to_json format', () => {
  const keras = JSON.parse(kerasFixture) as KerasTokenizerJSON;
  const edit = (
    change: (config: Record<string, unknown>, json: Record<string, unknown>) => void,
  ) => {
    const json = structuredClone(keras) as unknown as Record<string, unknown>;
    change(json.config as Record<string, unknown>, json);
    return JSON.stringify(json);
  };
  const dictionary = (config: Record<string, unknown>, key: string) =>
    JSON.parse(config[key] as string) as Record<string, unknown>;
  const setEntry = (config: Record<string, unknown>, key: string, word: string, value: string) => {
    // written by hand, as a Python json.dumps of NaN or a hand-edited file would be
    config[key] = (config[key] as string).replace(
      new RegExp(`"${word}": [^,}]+`),
      `"${word}": ${value}`,
    );
  };

  it('should still load the Keras fixture', () => {
    expect(Tokenizer.fromJSON(kerasFixture).toKerasJSON()).toBe(kerasFixture);
  });

  const cases: [string, string, RegExp][] = [
    [
      'a class_name other than Tokenizer',
      edit((_, json) => {
        json.class_name = 'Vocabulary';
      }),
      /^json\.class_name: expected "Tokenizer", got "Vocabulary"$/,
    ],
    [
      'a missing dictionary',
      edit((config) => {
        delete config.word_index;
      }),
      /^json\.config\.word_index: expected a JSON string of a dictionary, as Keras writes it, got undefined$/,
    ],
    [
      'a key Keras does not know',
      edit((config) => {
        config.oov_tokn = '<UNK>';
      }),
      /^json\.config: expected only the keys of Keras' Tokenizer config .*, got "oov_tokn"$/,
    ],
    [
      'a NaN index',
      edit((config) => setEntry(config, 'word_index', 'cat', 'NaN')),
      /^json\.config\.word_index\["cat"\]: expected a positive integer index, got NaN$/,
    ],
    [
      'a negative index',
      edit((config) => setEntry(config, 'word_index', 'cat', '-3')),
      /^json\.config\.word_index\["cat"\]: expected a positive integer index, got -3$/,
    ],
    [
      'a fractional index',
      edit((config) => setEntry(config, 'word_index', 'cat', '2.5')),
      /^json\.config\.word_index\["cat"\]: expected a positive integer index, got 2\.5$/,
    ],
    [
      'two words with one index',
      edit((config) => setEntry(config, 'word_index', 'cat', '2')),
      /^json\.config\.word_index\["cat"\]: expected distinct indices, got 2, the index of "the" too$/,
    ],
    [
      'an index_word that is not the inverse of word_index',
      edit((config) => {
        const indexWord = dictionary(config, 'index_word');
        [indexWord['3'], indexWord['4']] = [indexWord['4'], indexWord['3']];
        config.index_word = JSON.stringify(indexWord);
      }),
      /^json\.config\.index_word\["3"\]: expected "cat", the word with index 3 in word_index, got "sat"$/,
    ],
    [
      'an index_word with an entry word_index lacks',
      edit((config) => {
        const indexWord = dictionary(config, 'index_word');
        indexWord['17'] = 'purr';
        config.index_word = JSON.stringify(indexWord);
      }),
      /^json\.config\.index_word\["17"\]: expected "purr" to have index 17 in word_index, got undefined$/,
    ],
    [
      'an index_word key that is not an integer',
      edit((config) => {
        config.index_word = (config.index_word as string).replace('"2": "the"', '"two": "the"');
      }),
      /^json\.config\.index_word: expected keys that are positive integers written as Keras writes them, got "two"$/,
    ],
    [
      'a negative count',
      edit((config) => setEntry(config, 'word_counts', 'mat', '-1')),
      /^json\.config\.word_counts\["mat"\]: expected a non-negative integer count, got -1$/,
    ],
    [
      'a document frequency of a word never counted',
      edit((config) => {
        const wordDocs = dictionary(config, 'word_docs');
        wordDocs.zebra = 1;
        config.word_docs = JSON.stringify(wordDocs);
      }),
      /^json\.config\.word_docs\["zebra"\]: expected a word of word_counts, got a word it lacks$/,
    ],
    [
      'an OOV token missing from word_index',
      edit((config) => {
        config.oov_token = '<UNK>';
      }),
      /^json\.config\.oov_token: expected a word of word_index \(Keras gives it index 1\), got "<UNK>"$/,
    ],
    [
      'a boolean setting written as a string',
      edit((config) => {
        config.lower = 'True';
      }),
      /^json\.config\.lower: expected true or false, got "True"$/,
    ],
    [
      'a fractional document_count',
      edit((config) => {
        config.document_count = 2.5;
      }),
      /^json\.config\.document_count: expected a non-negative integer, got 2\.5$/,
    ],
    [
      'num_words of 0',
      edit((config) => {
        config.num_words = 0;
      }),
      /^json\.config\.num_words: expected an integer >= 1 or null, got 0$/,
    ],
  ];
  for (const [what, json, message] of cases) {
    it(`should reject ${what}`, () => {
      expectError(() => Tokenizer.fromJSON(json), { code: 'BAD_JSON', argument: 'json', message });
      expectError(() => Tokenizer.fromJSON(JSON.parse(json)), {
        code: 'BAD_JSON',
        argument: 'json',
        message,
      });
    });
  }

  it('should accept what Keras writes for an OOV token that is also a word', () => {
    // Keras' dict(zip(...)) gives "<OOV>" its later index and leaves index 1 unused.
    const t = new Tokenizer({ oovToken: 'the' });
    t.fitOnTexts(reviews);
    const back = Tokenizer.fromJSON(t.toKerasJSON());
    expect(back.textsToSequences(reviews)).toEqual(t.textsToSequences(reviews));
  });
});

describe('Word-vector files', () => {
  const glove = [
    'the 0.418 0.24968 -0.41242',
    ', 0.013441 0.23682 -0.16899',
    'cat 0.45281 -0.50108 -0.53714',
    'dog 0.11008 -0.38781 -0.57615',
  ];
  const word2vec = ['4 3', ...glove];

  const cases: [string, string[], RegExp][] = [
    [
      'a header that announces more vectors than the file has',
      ['5 3', ...glove],
      /^line 1: expected 5 vectors as this word2vec header says, got 4$/,
    ],
    [
      'a header that announces fewer vectors than the file has',
      ['3 3', ...glove],
      /^line 5: expected 3 vectors as the word2vec header on line 1 says, got more$/,
    ],
    [
      'a header whose dimension does not match the vectors',
      ['4 50', ...glove],
      /^line 2: expected 50 values after the word \(the dimension in the header on line 1\), got 3$/,
    ],
    [
      'a line with more values than the others',
      [...glove.slice(0, 2), 'cat 0.45281 -0.50108 -0.53714 0.1 0.7', glove[3]],
      /^line 3: expected 3 values after the word, got 5$/,
    ],
    [
      'a line with fewer values than the others',
      [glove[0], 'cat 0.45281 -0.50108'],
      /^line 2: expected 3 values after the word, got 2$/,
    ],
    [
      'a value that overflows to Infinity',
      [glove[0], 'cat 1e999 0 0'],
      /^line 2: expected a finite decimal number, got "1e999"$/,
    ],
    [
      'a value beyond float32',
      [glove[0], 'cat 3.5e38 0 0'],
      /^line 2: expected a number within float32 range, got "3.5e38"$/,
    ],
    [
      'a hexadecimal value',
      [glove[0], 'cat 0x1A 0 0'],
      /^line 2: expected a finite decimal number, got "0x1A"$/,
    ],
    ['NaN', [glove[0], 'cat NaN 0 0'], /^line 2: expected a finite decimal number, got "NaN"$/],
    ['nan', [glove[0], 'cat 0 nan 0'], /^line 2: expected a finite decimal number, got "nan"$/],
    [
      'Infinity',
      [glove[0], 'cat 0 0 -Infinity'],
      /^line 2: expected a finite decimal number, got "-Infinity"$/,
    ],
    [
      'an empty field between two spaces',
      [glove[0], 'cat 0.45281  -0.50108 -0.53714'],
      /^line 2: expected fields separated by single spaces, got an empty field \(field 3\)$/,
    ],
    [
      'a line that starts with a space (an empty word)',
      [glove[0], ' 0.45281 -0.50108 -0.53714'],
      /^line 2: expected fields separated by single spaces, got an empty field \(field 1\)$/,
    ],
    [
      'a header with dimension 0',
      ['4 0', ...glove],
      /^line 1: expected a header "count dim" with dim >= 1, got "4 0"$/,
    ],
  ];

  for (const [what, lines, message] of cases) {
    it(`should reject ${what}, naming the line`, async () => {
      expectError(() => WordVectors.fromLines(lines), {
        code: 'INVALID_ARGUMENT',
        argument: 'lines',
        message,
      });
      await expectRejection(loadWordVectors([`${lines.join('\n')}\n`]), {
        code: 'INVALID_ARGUMENT',
        argument: 'lines',
        message,
      });
    });
  }

  it('should still read good files: header, BOM, words with spaces, exponents', async () => {
    expect(WordVectors.fromLines(word2vec).words).toEqual(['the', ',', 'cat', 'dog']);
    const bom = await loadWordVectors([`\uFEFF${word2vec.join('\r\n')}\r\n`]);
    expect(bom.words).toEqual(['the', ',', 'cat', 'dog']);
    const spaced = WordVectors.fromLines([
      ...glove,
      '. . . 1e-3 -2E+1 .5',
      'at name@domain.com +0.5 5. 0',
    ]);
    expect(spaced.words.slice(-2)).toEqual(['. . .', 'at name@domain.com']);
    expect(Array.from(spaced.get('. . .')!)).toEqual([Math.fround(0.001), -20, 0.5]);
    expect(Array.from(spaced.get('at name@domain.com')!)).toEqual([0.5, 5, 0]);
    // with the header the dimension is known, so even the first word may hold spaces
    expect(WordVectors.fromLines(['2 2', '. . . 0.5 0.5', 'cat 1 2']).words).toEqual([
      '. . .',
      'cat',
    ]);
    // limit stops before the end, so the header's count is not checked
    expect(WordVectors.fromLines(['400000 3', ...glove], { limit: 2 }).words).toEqual(['the', ',']);
  });

  it('should check WordVectors.fromJSON fields as BAD_JSON', () => {
    const json = WordVectors.fromLines(glove).toJSON();
    const cases: [object, RegExp][] = [
      [
        { ...json, vectors: ['0.418', ...json.vectors.slice(1)] },
        /^json\.vectors\[0\]: expected a finite number, got "0\.418"$/,
      ],
      [{ ...json, dim: undefined }, /^json\.dim: expected a positive integer, got undefined$/],
      [{ ...json, words: ['the', ',', 7, 'dog'] }, /^json\.words\[2\]: expected a string, got 7$/],
      [
        { ...json, vectors: json.vectors.slice(1) },
        /^json\.vectors: expected 4 × 3 = 12 values, got 11$/,
      ],
    ];
    for (const [bad, message] of cases) {
      expectError(() => WordVectors.fromJSON(JSON.stringify(bad)), {
        code: 'BAD_JSON',
        argument: 'json',
        message,
      });
    }
  });
});

describe('Vocabulary and CharAlphabet', () => {
  const corpus = reviews.map((r) => tokenize(r));

  it('should check Vocabulary.fromJSON fields as BAD_JSON', () => {
    const json = Vocabulary.fromCorpus(corpus).toJSON();
    const cases: [object, RegExp][] = [
      [{ ...json, tokens: ['<pad>', '<unk>', 3] }, /^json\.tokens\[2\]: expected a string, got 3$/],
      [
        { ...json, tokens: ['<pad>', '<unk>', 'the', 'the'] },
        /^json\.tokens\[3\]: expected distinct tokens, got "the" twice$/,
      ],
      [
        { ...json, oovToken: undefined },
        /^json\.oovToken: expected a string or null, got undefined$/,
      ],
      [
        { ...json, oovToken: '<oov>' },
        /^json\.oovToken: expected one of the tokens or null, got "<oov>"$/,
      ],
      [
        { ...json, specials: '<pad>' },
        /^json\.specials: expected an array of tokens, got "<pad>"$/,
      ],
      [
        { ...json, specials: ['<pad>', '<bos>'] },
        /^json\.specials\[1\]: expected one of the tokens, got "<bos>"$/,
      ],
    ];
    for (const [bad, message] of cases) {
      expectError(() => Vocabulary.fromJSON(JSON.stringify(bad)), {
        code: 'BAD_JSON',
        argument: 'json',
        message,
      });
    }
  });

  it('should name a missing corpus and a token that is not a string', () => {
    expectError(() => Vocabulary.fromCorpus([corpus[0], ['harry', 7]] as string[][]), {
      code: 'INVALID_ARGUMENT',
      argument: 'corpus',
      message: /^corpus\[1\]\[1\]: expected a string token, got 7$/,
    });
    expectError(() => Vocabulary.fromCorpus(null as unknown as string[][]), {
      code: 'INVALID_ARGUMENT',
      argument: 'corpus',
      message: /^corpus: expected an iterable of token arrays, got null$/,
    });
    const vocab = Vocabulary.fromCorpus(corpus);
    expectError(() => vocab.encode(null as unknown as string[]), {
      code: 'INVALID_ARGUMENT',
      argument: 'tokens',
      message: /^tokens: expected an iterable of tokens, got null$/,
    });
    expectError(() => vocab.indexOf(42 as unknown as string), {
      code: 'INVALID_ARGUMENT',
      argument: 'token',
      message: /^token: expected a string, got 42$/,
    });
  });

  it('should check CharAlphabet.fromJSON fields as BAD_JSON, a missing padding flag included', () => {
    const json = CharAlphabet.fromCorpus(reviews, { padding: true, unknown: 'token' }).toJSON();
    const cases: [object, RegExp][] = [
      [{ ...json, padding: undefined }, /^json\.padding: expected true or false, got undefined$/],
      [{ ...json, padding: 'yes' }, /^json\.padding: expected true or false, got "yes"$/],
      [
        { ...json, unknown: 'ignore' },
        /^json\.unknown: expected 'error', 'skip' or 'token', got "ignore"$/,
      ],
      [{ ...json, unknownChar: 63 }, /^json\.unknownChar: expected a string, got 63$/],
      [
        { ...json, letters: ['a', 'bc'] },
        /^json\.letters\[1\]: expected a single character, got "bc"$/,
      ],
      [
        { ...json, letters: ['a', 'b', 'a'] },
        /^json\.letters\[2\]: expected distinct characters, got "a" twice$/,
      ],
    ];
    for (const [bad, message] of cases) {
      expectError(() => CharAlphabet.fromJSON(JSON.stringify(bad)), {
        code: 'BAD_JSON',
        argument: 'json',
        message,
      });
    }
  });

  it('should name the unknown character and its position when there is no unknown index', () => {
    const alphabet = new CharAlphabet('abcdefghijklmnopqrstuvwxyz ');
    expectError(() => alphabet.encode('brokeback mountain was boring.'), {
      code: 'UNKNOWN_TOKEN',
      argument: 'text',
      message:
        /^text: expected characters of the alphabet \(unknown is 'error'\), got "\." \(U\+002E\) at position 29 of "brokeback/,
    });
    expectError(() => alphabet.encode(null as unknown as string), {
      code: 'INVALID_ARGUMENT',
      argument: 'text',
      message: /^text: expected a string, got null$/,
    });
    expectError(() => alphabet.decode(null as unknown as number[]), {
      code: 'INVALID_ARGUMENT',
      argument: 'ids',
      message: /^ids: expected an iterable of indices, got null$/,
    });
    expectError(() => new CharAlphabet('abc', { unknownChar: 0 as unknown as string }), {
      code: 'INVALID_ARGUMENT',
      argument: 'unknownChar',
      message: /^unknownChar: expected a string, got 0$/,
    });
    expectError(() => CharAlphabet.fromCorpus([reviews[0], 404] as string[]), {
      code: 'INVALID_ARGUMENT',
      argument: 'texts',
      message: /^texts\[1\]: expected a string, got 404$/,
    });
  });
});

describe('oneHot and lengthStats', () => {
  const alphabet = CharAlphabet.fromCorpus(['harry potter', 'da vinci code']);

  it('should reject ids outside the alphabet even where truncation drops them', () => {
    const ids = alphabet.encode('harry potter');
    expectError(() => oneHotArray([[alphabet.size, ...ids]], { depth: alphabet.size, maxlen: 5 }), {
      code: 'INVALID_ARGUMENT',
      argument: 'sequences',
      message: new RegExp(
        `^sequences\\[0\\]\\[0\\]: expected an integer in \\[0, ${alphabet.size}\\), got ${alphabet.size}$`,
      ),
    });
    expectError(() => oneHotArray([ids, -1 as unknown as number[]], { depth: alphabet.size }), {
      code: 'INVALID_ARGUMENT',
      argument: 'sequences',
      message: /^sequences\[1\]: expected an array or typed array of ids, got -1$/,
    });
    expectError(() => oneHotArray([ids], undefined as unknown as { depth: number }), {
      code: 'INVALID_ARGUMENT',
      argument: 'options',
      message: /^options: expected an object with depth, got undefined$/,
    });
  });

  it('should reject lengths that are not non-negative integers', () => {
    expectError(() => lengthStats([3, Number.NaN]), {
      code: 'INVALID_ARGUMENT',
      argument: 'sequences',
      message: /^sequences\[1\]: expected a sequence or a non-negative integer length, got NaN$/,
    });
    expectError(() => lengthStats([[1, 2], null] as number[][]), {
      code: 'INVALID_ARGUMENT',
      argument: 'sequences',
      message: /^sequences\[1\]: expected a sequence or a non-negative integer length, got null$/,
    });
  });
});

describe('empty word-vector sources and embedding-matrix inputs', () => {
  it('should reject a source with no vector line and no header (was: 0 vectors of dimension 1)', async () => {
    for (const lines of [[], [''], ['', '  ', '']]) {
      expectError(() => WordVectors.fromLines(lines), {
        code: 'INVALID_ARGUMENT',
        argument: 'lines',
        message:
          /expected at least one vector line .* or a word2vec header, got (no line|only blank lines)$/,
      });
    }
    await expectRejection(loadWordVectors([]), {
      code: 'INVALID_ARGUMENT',
      argument: 'lines',
      message: /^line 0: expected at least one vector line/,
    });
    await expectRejection(loadWordVectors(['\n\n']), {
      code: 'INVALID_ARGUMENT',
      argument: 'lines',
      message: /got only blank lines$/,
    });
    // a header with no vectors, a filter that keeps none and limit 0 are not empty sources
    expect(WordVectors.fromLines(['0 50']).dim).toBe(50);
    expect(WordVectors.fromLines(['cat 1 2'], { words: ['dog'] }).size).toBe(0);
    expect((await loadWordVectors([], { limit: 0 })).size).toBe(0);
  });

  it('buildEmbeddingMatrix: a Map with fractional, negative or shared indices is refused (1.5 overwrote row 1)', () => {
    const vectors = WordVectors.fromLines(['a 1 0', 'b 0 1', 'c 1 1']);
    for (const [map, message] of [
      [
        new Map([
          ['a', 1],
          ['b', 1.5],
        ]),
        /non-negative integer indices, got 1.5 for "b"/,
      ],
      [
        new Map([
          ['a', 1],
          ['b', -2],
        ]),
        /got -2 for "b"/,
      ],
      [
        new Map([
          ['a', 1],
          ['b', Number.NaN],
        ]),
        /got NaN for "b"/,
      ],
      [
        new Map([
          ['a', 1],
          ['b', 2],
          ['c', 1],
        ]),
        /one word per index, got "a" and "c" at index 1/,
      ],
    ] as const) {
      expectError(() => buildEmbeddingMatrix(map, vectors, { rows: 3 }), {
        code: 'INVALID_ARGUMENT',
        argument: 'tokenizer',
        message,
      });
    }
    expect(
      buildEmbeddingMatrix(
        new Map([
          ['a', 1],
          ['b', 2],
        ]),
        vectors,
      ).hits,
    ).toBe(2);
  });

  it('buildEmbeddingMatrix, unicodeToAscii: null arguments are INVALID_ARGUMENT, not TypeErrors', () => {
    const vectors = WordVectors.fromLines(['a 1 0']);
    expectError(() => buildEmbeddingMatrix(null as never, vectors), {
      code: 'INVALID_ARGUMENT',
      argument: 'tokenizer',
      message: /got null$/,
    });
    expectError(() => buildEmbeddingMatrix({} as never, vectors), {
      code: 'INVALID_ARGUMENT',
      argument: 'tokenizer',
      message: /got an object$/,
    });
    expectError(() => buildEmbeddingMatrix(new Map([['a', 1]]), null as never), {
      code: 'INVALID_ARGUMENT',
      argument: 'vectors',
      message: /got null$/,
    });
    expectError(() => buildEmbeddingMatrix(new Map([['a', 1]]), vectors, null as never), {
      code: 'INVALID_ARGUMENT',
      argument: 'options',
      message: /got null$/,
    });
    expectError(() => unicodeToAscii(null as never), {
      code: 'INVALID_ARGUMENT',
      argument: 'text',
      message: /^text: expected a string, got null$/,
    });
    expectError(() => unicodeToAscii('abc', { letters: 5 as never }), {
      code: 'INVALID_ARGUMENT',
      argument: 'letters',
      message: /got 5$/,
    });
  });
});

describe('Tokenizer constructor options are checked like fromJSON checks them', () => {
  it("should refuse lower: 'no' and charLevel: 1 (were truthy: lower-cased, char level) and null options", () => {
    expectError(() => new Tokenizer({ lower: 'no' as never }), {
      code: 'INVALID_ARGUMENT',
      argument: 'lower',
      message: /^lower: expected true or false, got "no"$/,
    });
    expectError(() => new Tokenizer({ charLevel: 1 as never }), {
      code: 'INVALID_ARGUMENT',
      argument: 'charLevel',
      message: /got 1$/,
    });
    expectError(() => new Tokenizer(null as never), {
      code: 'INVALID_ARGUMENT',
      argument: 'options',
      message: /got null$/,
    });
    const kept = new Tokenizer({ lower: false });
    kept.fitOnTexts(['A a']);
    expect([...kept.wordIndex.keys()]).toEqual(['A', 'a']);
  });
});
