// Reads and checks the JSON of Keras' `tokenizer.to_json()` for `Tokenizer.fromJSON` (internal).
//
// Keras writes `{"class_name": "Tokenizer", "config": {...}}` where `config` holds the seven
// settings of `Tokenizer.get_config()` and the five dictionaries, each as a JSON string (integer
// keys of `index_docs` and `index_word` written as strings). `tokenizer_from_json` needs the five
// dictionaries and passes the rest to `Tokenizer(**config)`, which takes a missing setting as its
// default and refuses an unknown one; the same rules apply here.

import { parseJsonArgument } from './class-json';
import { parseJsonEntries } from './python-json';
import type { TokenizerOptions } from './tokenizer';
import { badJson, isObject, show } from './validate';

/** What {@link readKerasJson} returns: the constructor options and the five dictionaries. */
export interface KerasTokenizerState {
  options: TokenizerOptions;
  wordCounts: Map<string, number>;
  wordDocs: Map<string, number>;
  indexDocs: Map<number, number>;
  wordIndex: Map<string, number>;
  indexWord: Map<number, string>;
}

const settings = [
  'num_words',
  'filters',
  'lower',
  'split',
  'char_level',
  'oov_token',
  'document_count',
] as const;
const dictionaries = [
  'word_counts',
  'word_docs',
  'index_docs',
  'index_word',
  'word_index',
] as const;
const known: ReadonlySet<string> = new Set([...settings, ...dictionaries]);

/** Keys as Python's `json.dumps` writes an int: no sign, no leading zero. */
const integerKey = /^(?:0|[1-9]\d*)$/;

const isCount = (v: unknown): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * Parses and checks a Keras tokenizer JSON (string or object).
 * @throws {TextPreprocessError} `BAD_JSON` (argument `json`) naming the field at fault.
 */
export function readKerasJson(json: unknown): KerasTokenizerState {
  const value = parseJsonArgument(json, 'Keras tokenizer JSON');
  if (!isObject(value)) {
    throw badJson(
      `json: expected { "class_name": "Tokenizer", "config": {...} } as Keras' tokenizer.to_json() writes it, got ${show(value)}`,
    );
  }
  if (value.class_name !== 'Tokenizer') {
    throw badJson(`json.class_name: expected "Tokenizer", got ${show(value.class_name)}`);
  }
  const config = value.config;
  if (!isObject(config)) {
    throw badJson(
      `json.config: expected an object of the tokenizer's settings and dictionaries, got ${show(config)}`,
    );
  }
  for (const key of Object.keys(config)) {
    if (!known.has(key)) {
      throw badJson(
        `json.config: expected only the keys of Keras' Tokenizer config (${[...known].join(', ')}), got ${show(key)}`,
      );
    }
  }

  const { num_words, filters, lower, split, char_level, oov_token, document_count } = config;
  if (
    num_words !== undefined &&
    num_words !== null &&
    !(typeof num_words === 'number' && Number.isSafeInteger(num_words) && num_words >= 1)
  ) {
    throw badJson(
      `json.config.num_words: expected an integer >= 1 or null, got ${show(num_words)}`,
    );
  }
  if (filters !== undefined && typeof filters !== 'string') {
    throw badJson(`json.config.filters: expected a string, got ${show(filters)}`);
  }
  if (split !== undefined && (typeof split !== 'string' || split.length === 0)) {
    throw badJson(`json.config.split: expected a non-empty string, got ${show(split)}`);
  }
  for (const [key, flag] of [
    ['lower', lower],
    ['char_level', char_level],
  ] as const) {
    if (flag !== undefined && typeof flag !== 'boolean') {
      throw badJson(`json.config.${key}: expected true or false, got ${show(flag)}`);
    }
  }
  if (oov_token !== undefined && oov_token !== null && typeof oov_token !== 'string') {
    throw badJson(`json.config.oov_token: expected a string or null, got ${show(oov_token)}`);
  }
  if (document_count !== undefined && !isCount(document_count)) {
    throw badJson(
      `json.config.document_count: expected a non-negative integer, got ${show(document_count)}`,
    );
  }

  const entries = (key: (typeof dictionaries)[number]): [string, unknown][] => {
    const text = config[key];
    // Keras writes a JSON string; an object holding the dictionary itself is read as well.
    const found =
      typeof text === 'string'
        ? parseJsonEntries(text)
        : isObject(text)
          ? Object.entries(text)
          : undefined;
    if (found === undefined) {
      throw badJson(
        `json.config.${key}: expected a JSON string of a dictionary, as Keras writes it, got ${show(text)}`,
      );
    }
    return found;
  };
  const at = (key: string, k: string) => `json.config.${key}[${JSON.stringify(k)}]`;

  const wordCounts = new Map<string, number>();
  for (const [w, c] of entries('word_counts')) {
    if (!isCount(c))
      throw badJson(
        `${at('word_counts', w)}: expected a non-negative integer count, got ${show(c)}`,
      );
    wordCounts.set(w, c);
  }
  const wordDocs = new Map<string, number>();
  for (const [w, c] of entries('word_docs')) {
    if (!isCount(c))
      throw badJson(`${at('word_docs', w)}: expected a non-negative integer count, got ${show(c)}`);
    if (!wordCounts.has(w)) {
      throw badJson(`${at('word_docs', w)}: expected a word of word_counts, got a word it lacks`);
    }
    wordDocs.set(w, c);
  }
  const indexDocs = new Map<number, number>();
  for (const [k, c] of entries('index_docs')) {
    // fit_on_sequences counts any index, 0 included, so these need not be in index_word.
    if (!integerKey.test(k)) {
      throw badJson(
        `json.config.index_docs: expected keys that are non-negative integers written as Keras writes them, got ${show(k)}`,
      );
    }
    if (!isCount(c))
      throw badJson(
        `${at('index_docs', k)}: expected a non-negative integer count, got ${show(c)}`,
      );
    indexDocs.set(Number(k), c);
  }
  const wordIndex = new Map<string, number>();
  const byIndex = new Map<number, string>();
  for (const [w, i] of entries('word_index')) {
    if (typeof i !== 'number' || !Number.isSafeInteger(i) || i < 1) {
      throw badJson(`${at('word_index', w)}: expected a positive integer index, got ${show(i)}`);
    }
    const other = byIndex.get(i);
    if (other !== undefined && other !== w) {
      throw badJson(
        `${at('word_index', w)}: expected distinct indices, got ${i}, the index of ${show(other)} too`,
      );
    }
    if (wordIndex.has(w)) byIndex.delete(wordIndex.get(w)!);
    wordIndex.set(w, i);
    byIndex.set(i, w);
  }
  const indexWord = new Map<number, string>();
  for (const [k, w] of entries('index_word')) {
    if (!integerKey.test(k) || k === '0') {
      throw badJson(
        `json.config.index_word: expected keys that are positive integers written as Keras writes them, got ${show(k)}`,
      );
    }
    if (typeof w !== 'string')
      throw badJson(`${at('index_word', k)}: expected a word (a string), got ${show(w)}`);
    const i = Number(k);
    const expected = byIndex.get(i);
    if (expected === undefined) {
      throw badJson(
        `${at('index_word', k)}: expected ${show(w)} to have index ${i} in word_index, got ${show(wordIndex.get(w))}`,
      );
    }
    if (expected !== w) {
      throw badJson(
        `${at('index_word', k)}: expected ${show(expected)}, the word with index ${i} in word_index, got ${show(w)}`,
      );
    }
    indexWord.set(i, w);
  }
  if (indexWord.size !== wordIndex.size) {
    const [i, w] = [...byIndex].find(([index]) => !indexWord.has(index))!;
    throw badJson(
      `json.config.index_word: expected an entry for every index of word_index, got none for ${i} (${show(w)})`,
    );
  }
  if (typeof oov_token === 'string' && wordIndex.size > 0 && !wordIndex.has(oov_token)) {
    throw badJson(
      `json.config.oov_token: expected a word of word_index (Keras gives it index 1), got ${show(oov_token)}`,
    );
  }

  return {
    options: {
      numWords: num_words as number | null | undefined,
      filters: filters as string | undefined,
      lower: lower as boolean | undefined,
      split: split as string | undefined,
      charLevel: char_level as boolean | undefined,
      oovToken: oov_token as string | null | undefined,
      documentCount: document_count as number | undefined,
    },
    wordCounts,
    wordDocs,
    indexDocs,
    wordIndex,
    indexWord,
  };
}
