import { readKerasJson } from './keras-tokenizer-json';
import { pythonDumps } from './python-json';
import { checkIterable, invalid, isArrayLike, isIterable, show } from './validate';

/** Keras' default `filters`: punctuation, tab and newline (`'` is not in it). */
export const KERAS_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n';

/** Options for {@link Tokenizer}; names and defaults follow Keras' `Tokenizer`. */
export interface TokenizerOptions {
  /**
   * Keep only words with an index below `numWords` (the `numWords - 1` most frequent, counting the
   * OOV token) when turning texts into sequences or matrices. Fitting still indexes every word.
   * @default null (keep all)
   */
  numWords?: number | null;
  /** Characters replaced by `split` before splitting. @default {@link KERAS_FILTERS} */
  filters?: string;
  /** Lower-case the texts first. @default true */
  lower?: boolean;
  /** Separator between words. @default ' ' */
  split?: string;
  /** Treat every character as a token (no filtering, no splitting). @default false */
  charLevel?: boolean;
  /** Token that takes index 1 and stands for every word not in the index. @default null */
  oovToken?: string | null;
  /**
   * Turns a text into tokens instead of the filter-and-split rule (Keras' `analyzer`), for
   * instance `(t) => tokenize(t, { stem: true })`. Not serialised by {@link Tokenizer.toJSON}.
   * @default null
   */
  analyzer?: ((text: string) => string[]) | null;
  /** Number of documents already seen (as in Keras' constructor). @default 0 */
  documentCount?: number;
}

/** Vectorisation modes of {@link Tokenizer.textsToMatrix}, as in Keras. */
export type TokenizerMatrixMode = 'binary' | 'count' | 'tfidf' | 'freq';

/** The object form of Keras' `tokenizer.to_json()`: the dictionaries are JSON strings. */
export interface KerasTokenizerJSON {
  class_name: 'Tokenizer';
  config: {
    num_words: number | null;
    filters: string;
    lower: boolean;
    split: string;
    char_level: boolean;
    oov_token: string | null;
    document_count: number;
    word_counts: string;
    word_docs: string;
    index_docs: string;
    index_word: string;
    word_index: string;
  };
}

const modes: readonly TokenizerMatrixMode[] = ['binary', 'count', 'tfidf', 'freq'];

const textsExpected = 'an iterable of texts (strings or arrays of tokens)';
const sequencesExpected = 'an iterable of sequences of indices';

function checkNumWords(numWords: unknown): number | null {
  if (numWords === null || numWords === undefined) return null;
  if (typeof numWords !== 'number' || !Number.isInteger(numWords) || numWords < 1) {
    throw invalid(
      'numWords',
      `numWords: expected an integer >= 1 or null, got ${String(numWords)}`,
    );
  }
  return numWords;
}

/**
 * Keras' `text_to_word_sequence`: lower-cases (optionally), replaces every character of
 * `filters` by `split`, splits on `split` and drops empty strings.
 * @example
 * ```ts
 * import { textToWordSequence } from '@seqlearn/text-preprocess';
 * console.log(textToWordSequence("The cat's hat, the end.")); // [ 'the', "cat's", 'hat', 'the', 'end' ]
 * ```
 * @throws {TextPreprocessError} `INVALID_ARGUMENT` when `text` is not a string.
 */
export function textToWordSequence(
  text: string,
  {
    filters = KERAS_FILTERS,
    lower = true,
    split = ' ',
  }: Pick<TokenizerOptions, 'filters' | 'lower' | 'split'> = {},
): string[] {
  if (typeof text !== 'string') throw invalid('text', `text: expected a string, got ${show(text)}`);
  if (lower) text = text.toLowerCase();
  if (filters.length > 0) {
    const filterSet = new Set(filters);
    let out = '';
    for (const char of text) out += filterSet.has(char) ? split : char;
    text = out;
  }
  return text.split(split).filter((w) => w.length > 0);
}

/**
 * Turns texts into integer sequences or matrices with the rules, indices and results of Keras'
 * `keras.preprocessing.text.Tokenizer`: indices start at 1 (0 is left for padding), ordered by
 * descending frequency with ties in order of first appearance; the OOV token, when given, is
 * index 1; `numWords` keeps indices below it. `toJSON()` writes, and `Tokenizer.fromJSON()`
 * reads, the JSON of Keras' `tokenizer.to_json()` / `tokenizer_from_json()`.
 * @example
 * ```ts
 * import { Tokenizer } from '@seqlearn/text-preprocess';
 * const tokenizer = new Tokenizer({ numWords: 4, oovToken: '<OOV>' });
 * tokenizer.fitOnTexts(['the cat sat', 'the dog sat down']);
 * console.log(tokenizer.wordIndex); // Map(6) { '<OOV>' => 1, 'the' => 2, 'sat' => 3, 'cat' => 4, 'dog' => 5, 'down' => 6 }
 * console.log(tokenizer.textsToSequences(['the cat ran'])); // [ [ 2, 1, 1 ] ]
 * ```
 * @throws {TextPreprocessError} `INVALID_ARGUMENT` when `numWords` is not an integer >= 1, `filters`
 * is not a string, `split` not a non-empty string, `lower` or `charLevel` not a boolean,
 * `oovToken` not a string or null, `analyzer` not a function or null, `documentCount` not a
 * non-negative integer, or the options are not an object.
 */
export class Tokenizer {
  readonly numWords: number | null;
  readonly filters: string;
  readonly lower: boolean;
  readonly split: string;
  readonly charLevel: boolean;
  readonly oovToken: string | null;
  readonly analyzer: ((text: string) => string[]) | null;
  #documentCount: number;
  #wordCounts = new Map<string, number>();
  #wordDocs = new Map<string, number>();
  #indexDocs = new Map<number, number>();
  #wordIndex = new Map<string, number>();
  #indexWord = new Map<number, string>();

  constructor(options: TokenizerOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw invalid('options', `options: expected an object or undefined, got ${show(options)}`);
    }
    const {
      numWords = null,
      filters = KERAS_FILTERS,
      lower = true,
      split = ' ',
      charLevel = false,
      oovToken = null,
      analyzer = null,
      documentCount = 0,
    } = options;
    this.numWords = checkNumWords(numWords);
    // fromJSON refuses non-booleans here; so does the constructor ('no' would lower-case)
    for (const [name, flag] of [
      ['lower', lower],
      ['charLevel', charLevel],
    ] as const) {
      if (typeof flag !== 'boolean') {
        throw invalid(name, `${name}: expected true or false, got ${show(flag)}`);
      }
    }
    if (typeof filters !== 'string') {
      throw invalid('filters', `filters: expected a string, got ${typeof filters}`);
    }
    if (typeof split !== 'string' || split.length === 0) {
      throw invalid('split', `split: expected a non-empty string, got ${JSON.stringify(split)}`);
    }
    if (analyzer !== null && typeof analyzer !== 'function') {
      throw invalid('analyzer', `analyzer: expected a function or null, got ${show(analyzer)}`);
    }
    if (oovToken !== null && typeof oovToken !== 'string') {
      throw invalid('oovToken', `oovToken: expected a string or null, got ${typeof oovToken}`);
    }
    if (!Number.isInteger(documentCount) || documentCount < 0) {
      throw invalid(
        'documentCount',
        `documentCount: expected a non-negative integer, got ${String(documentCount)}`,
      );
    }
    this.filters = filters;
    this.lower = lower;
    this.split = split;
    this.charLevel = charLevel;
    this.oovToken = oovToken;
    this.analyzer = analyzer;
    this.#documentCount = documentCount;
  }

  /** Number of texts seen by {@link fitOnTexts}. */
  get documentCount(): number {
    return this.#documentCount;
  }
  /** Word → number of occurrences, in order of first appearance (Keras `word_counts`). */
  get wordCounts(): ReadonlyMap<string, number> {
    return this.#wordCounts;
  }
  /** Word → number of texts it occurs in (Keras `word_docs`). */
  get wordDocs(): ReadonlyMap<string, number> {
    return this.#wordDocs;
  }
  /** Index → number of texts its word occurs in (Keras `index_docs`). */
  get indexDocs(): ReadonlyMap<number, number> {
    return this.#indexDocs;
  }
  /** Word → index, by descending frequency, from 1 (Keras `word_index`). */
  get wordIndex(): ReadonlyMap<string, number> {
    return this.#wordIndex;
  }
  /** Index → word (Keras `index_word`). */
  get indexWord(): ReadonlyMap<number, string> {
    return this.#indexWord;
  }
  /**
   * Number of indices that sequences can hold, padding 0 included: `numWords` when set, otherwise
   * the largest index + 1. The `inputDim` of an embedding layer. (Not in Keras.)
   */
  get vocabularySize(): number {
    if (this.numWords !== null) return this.numWords;
    let largest = 0;
    for (const index of this.#indexWord.keys()) if (index > largest) largest = index;
    return largest + 1;
  }

  /** The tokens of `texts[position]`, checked to be strings. */
  #tokens(text: unknown, position: number): string[] {
    if (Array.isArray(text)) {
      const tokens = text as unknown[];
      tokens.forEach((token, k) => {
        if (typeof token !== 'string') {
          throw invalid(
            'texts',
            `texts[${position}][${k}]: expected a string token, got ${show(token)}`,
          );
        }
      });
      return this.lower
        ? (tokens as string[]).map((t) => t.toLowerCase())
        : [...(tokens as string[])];
    }
    if (typeof text !== 'string') {
      throw invalid(
        'texts',
        `texts[${position}]: expected a string or an array of string tokens, got ${show(text)}`,
      );
    }
    if (this.charLevel) return Array.from(this.lower ? text.toLowerCase() : text);
    if (this.analyzer) {
      const result: unknown = this.analyzer(text);
      const tokens =
        typeof result === 'string' || !isIterable(result) ? undefined : Array.from(result);
      if (tokens === undefined || tokens.some((t) => typeof t !== 'string')) {
        throw invalid(
          'analyzer',
          `analyzer: expected an array of string tokens for texts[${position}], got ${show(result)}`,
        );
      }
      return tokens as string[];
    }
    return textToWordSequence(text, {
      filters: this.filters,
      lower: this.lower,
      split: this.split,
    });
  }

  /**
   * Updates the counts and rebuilds the index from `texts` (strings, or arrays of tokens that are
   * used as they are apart from lower-casing), as Keras `fit_on_texts` does. Can be called again
   * with more texts. All or nothing: when a text is bad, the analyzer throws or the iterable
   * fails midway, the tokenizer is left exactly as it was.
   * @throws {TextPreprocessError} `INVALID_ARGUMENT` (argument `texts`) when `texts` is not an
   *   iterable of texts (a bare string included) or one of them is not a string or an array of
   *   strings; (argument `analyzer`) when the analyzer does not return string tokens.
   */
  fitOnTexts(texts: Iterable<string | readonly string[]>): void {
    checkIterable(texts, 'texts', textsExpected);
    // Everything that can fail (the texts, the analyzer, the iterable) runs while counting into
    // scratch maps; they are merged in only once every text has been read, so that a failure
    // leaves no trace. Merging keeps the Maps the getters return, and their order.
    const counts = new Map<string, number>();
    const docs = new Map<string, number>();
    let position = 0;
    for (const text of texts) {
      const seq = this.#tokens(text, position++);
      for (const w of seq) counts.set(w, (counts.get(w) ?? 0) + 1);
      for (const w of new Set(seq)) docs.set(w, (docs.get(w) ?? 0) + 1);
    }
    this.#documentCount += position;
    for (const [w, c] of counts) this.#wordCounts.set(w, (this.#wordCounts.get(w) ?? 0) + c);
    for (const [w, c] of docs) this.#wordDocs.set(w, (this.#wordDocs.get(w) ?? 0) + c);
    // Array.prototype.sort is stable, so ties keep their order of first appearance, as Python's
    // list.sort does in Keras.
    const sorted = [...this.#wordCounts].sort((a, b) => b[1] - a[1]).map(([w]) => w);
    const vocabulary = this.oovToken === null ? sorted : [this.oovToken, ...sorted];
    this.#wordIndex = new Map();
    // Later entries win, as in Keras' dict(zip(...)), should the OOV token also occur as a word.
    vocabulary.forEach((w, i) => {
      this.#wordIndex.set(w, i + 1);
    });
    this.#indexWord = new Map();
    for (const [w, i] of this.#wordIndex) this.#indexWord.set(i, w);
    this.#indexDocs = new Map();
    for (const [w, c] of this.#wordDocs) this.#indexDocs.set(this.#wordIndex.get(w)!, c);
  }

  /**
   * Turns each text into a list of word indices (Keras `texts_to_sequences`). Words not in the
   * index, and words whose index is not below `numWords`, become the OOV index when there is an
   * OOV token and are dropped otherwise.
   * @throws {TextPreprocessError} `INVALID_ARGUMENT` (argument `texts`) when `texts` is not an
   *   iterable of texts (a bare string included) or one of them is not a string or an array of
   *   strings; (argument `analyzer`) when the analyzer does not return string tokens.
   */
  textsToSequences(texts: Iterable<string | readonly string[]>): number[][] {
    checkIterable(texts, 'texts', textsExpected);
    const oovIndex = this.oovToken === null ? undefined : this.#wordIndex.get(this.oovToken);
    const out: number[][] = [];
    for (const text of texts) {
      const vect: number[] = [];
      for (const w of this.#tokens(text, out.length)) {
        const i = this.#wordIndex.get(w);
        if (i !== undefined) {
          if (this.numWords !== null && i >= this.numWords) {
            if (oovIndex !== undefined) vect.push(oovIndex);
          } else vect.push(i);
        } else if (this.oovToken !== null && oovIndex !== undefined) vect.push(oovIndex);
      }
      out.push(vect);
    }
    return out;
  }

  /**
   * Turns index sequences back into space-joined texts (Keras `sequences_to_texts`), with the
   * same OOV and `numWords` rules as {@link textsToSequences}; unknown indices are dropped when
   * there is no OOV token.
   * @throws {TextPreprocessError} `INVALID_ARGUMENT` (argument `sequences`) when `sequences` is not
   *   an iterable of iterables of indices (a string is none).
   */
  sequencesToTexts(sequences: Iterable<Iterable<number>>): string[] {
    checkIterable(sequences, 'sequences', sequencesExpected);
    const oovIndex = this.oovToken === null ? undefined : this.#wordIndex.get(this.oovToken);
    const oovWord = oovIndex === undefined ? undefined : this.#indexWord.get(oovIndex);
    const out: string[] = [];
    for (const seq of sequences) {
      if (!isIterable(seq) || typeof seq === 'string') {
        throw invalid(
          'sequences',
          `sequences[${out.length}]: expected an iterable of indices, got ${show(seq)}`,
        );
      }
      const vect: string[] = [];
      for (const num of seq) {
        const word = this.#indexWord.get(num);
        if (word !== undefined) {
          if (this.numWords !== null && num >= this.numWords) {
            if (oovWord !== undefined) vect.push(oovWord);
          } else vect.push(word);
        } else if (this.oovToken !== null && oovWord !== undefined) vect.push(oovWord);
      }
      out.push(vect.join(' '));
    }
    return out;
  }

  /**
   * Turns index sequences into a `[sequences, numWords]` matrix (Keras `sequences_to_matrix`);
   * without `numWords` the width is `wordIndex.size + 1`. Modes: `'binary'` 1 where the index
   * occurs, `'count'` occurrences, `'freq'` occurrences / sequence length, `'tfidf'`
   * `(1 + ln count) · ln(1 + documentCount / (1 + indexDocs[index]))`.
   * @throws {TextPreprocessError} `INVALID_ARGUMENT` for an unknown mode, or when neither
   *   `numWords` nor a fitted index gives the width, or for `'tfidf'` before fitting.
   */
  sequencesToMatrix(
    sequences: Iterable<ArrayLike<number>>,
    mode: TokenizerMatrixMode = 'binary',
  ): number[][] {
    checkIterable(sequences, 'sequences', sequencesExpected);
    if (!modes.includes(mode)) {
      throw invalid(
        'mode',
        `mode: expected 'binary', 'count', 'tfidf' or 'freq', got ${JSON.stringify(mode)}`,
      );
    }
    let width = this.numWords;
    if (width === null) {
      if (this.#wordIndex.size === 0) {
        throw invalid('numWords', 'numWords: expected numWords to be set or the tokenizer fitted');
      }
      width = this.#wordIndex.size + 1;
    }
    if (mode === 'tfidf' && this.#documentCount === 0) {
      throw invalid('mode', "mode: 'tfidf' needs a fitted tokenizer, got documentCount 0");
    }
    const out: number[][] = [];
    for (const seq of sequences) {
      if (!isArrayLike(seq)) {
        throw invalid(
          'sequences',
          `sequences[${out.length}]: expected an array of indices, got ${show(seq)}`,
        );
      }
      for (let k = 0; k < seq.length; k++) {
        const j: unknown = seq[k];
        if (typeof j !== 'number' || !Number.isInteger(j) || j < 0) {
          // numpy would write x[i][-1] into the last column; a fraction has no column at all.
          throw invalid(
            'sequences',
            `sequences[${out.length}][${k}]: expected a non-negative integer index, got ${show(j)}`,
          );
        }
      }
      const row = new Array<number>(width).fill(0);
      out.push(row);
      if (seq.length === 0) continue;
      const counts = new Map<number, number>();
      for (let k = 0; k < seq.length; k++) {
        const j = seq[k];
        if (j >= width) continue;
        counts.set(j, (counts.get(j) ?? 0) + 1);
      }
      for (const [j, c] of counts) {
        if (mode === 'count') row[j] = c;
        else if (mode === 'freq') row[j] = c / seq.length;
        else if (mode === 'binary') row[j] = 1;
        else {
          const tf = 1 + Math.log(c);
          const idf = Math.log(1 + this.#documentCount / (1 + (this.#indexDocs.get(j) ?? 0)));
          row[j] = tf * idf;
        }
      }
    }
    return out;
  }

  /**
   * {@link textsToSequences} then {@link sequencesToMatrix} (Keras `texts_to_matrix`).
   * @throws {TextPreprocessError} `INVALID_ARGUMENT` as those two do: bad texts, an unknown mode,
   *   or neither `numWords` set nor the tokenizer fitted.
   */
  textsToMatrix(
    texts: Iterable<string | readonly string[]>,
    mode: TokenizerMatrixMode = 'binary',
  ): number[][] {
    return this.sequencesToMatrix(this.textsToSequences(texts), mode);
  }

  /**
   * The object whose `JSON.stringify` Keras' `tokenizer_from_json` reads: `{ class_name:
   * 'Tokenizer', config }`, the five dictionaries stored as JSON strings. {@link toKerasJSON}
   * gives the exact string that Keras' `to_json()` writes.
   */
  toJSON(): KerasTokenizerJSON {
    return {
      class_name: 'Tokenizer',
      config: {
        num_words: this.numWords,
        filters: this.filters,
        lower: this.lower,
        split: this.split,
        char_level: this.charLevel,
        oov_token: this.oovToken,
        document_count: this.#documentCount,
        word_counts: pythonDumps(this.#wordCounts),
        word_docs: pythonDumps(this.#wordDocs),
        index_docs: pythonDumps(this.#indexDocs),
        index_word: pythonDumps(this.#indexWord),
        word_index: pythonDumps(this.#wordIndex),
      },
    };
  }

  /**
   * The string Keras' `tokenizer.to_json()` returns for the same tokenizer, formatted as
   * Python's `json.dumps` does (`", "` and `": "` separators, non-ASCII escaped).
   */
  toKerasJSON(): string {
    return pythonDumps(this.toJSON());
  }

  /**
   * Reads the JSON of Keras' `tokenizer.to_json()` (a string or its parsed object), as Keras'
   * `tokenizer_from_json` does.
   * @example
   * ```ts
   * import { Tokenizer } from '@seqlearn/text-preprocess';
   * const saved = new Tokenizer({ oovToken: '<OOV>' });
   * saved.fitOnTexts(['to be or not to be']);
   * const tokenizer = Tokenizer.fromJSON(saved.toKerasJSON());
   * console.log(tokenizer.textsToSequences(['to be is to do'])); // [ [ 2, 3, 1, 2, 1 ] ]
   * ```
   * @throws {TextPreprocessError} `BAD_JSON` (argument `json`, the field named in the message)
   *   when the input is not a Keras tokenizer JSON: `class_name` other than `"Tokenizer"`, a
   *   setting of the wrong type or one Keras does not know, a missing dictionary, counts or
   *   indices that are not non-negative (indices: positive) integers, two words with one index,
   *   an `index_word` that is not the inverse of `word_index`, a `word_docs` word missing from
   *   `word_counts`, or an OOV token missing from a non-empty `word_index`.
   */
  static fromJSON(json: string | KerasTokenizerJSON): Tokenizer {
    const state = readKerasJson(json);
    const tokenizer = new Tokenizer(state.options);
    tokenizer.#wordCounts = state.wordCounts;
    tokenizer.#wordDocs = state.wordDocs;
    tokenizer.#indexDocs = state.indexDocs;
    tokenizer.#wordIndex = state.wordIndex;
    tokenizer.#indexWord = state.indexWord;
    return tokenizer;
  }
}
