import { readClassJson } from './class-json';
import { badJson, checkIterable, fitsFloat32, invalid, isIterable, show } from './validate';

/** The JSON written by {@link WordVectors.toJSON}. */
export interface WordVectorsJSON {
  className: 'WordVectors';
  dim: number;
  words: string[];
  /** Row-major values, `words.length × dim`. */
  vectors: number[];
}

/**
 * Pre-trained word vectors (GloVe, word2vec, fastText text formats) held as one row-major
 * `Float32Array`, as {@link loadWordVectors} returns them.
 * @example
 * ```ts
 * import { WordVectors } from '@seqlearn/text-preprocess';
 * const vectors = WordVectors.fromLines(['the 0.1 0.2', 'cat 0.3 -0.4']);
 * console.log(vectors.size, vectors.dim, Array.from(vectors.get('cat') ?? [])); // 2 2 [ 0.30000001192092896, -0.4000000059604645 ]
 * ```
 */
export class WordVectors {
  /** Length of each vector. */
  readonly dim: number;
  /** The words, in file order. */
  readonly words: readonly string[];
  /** All vectors, row `i` for `words[i]`. */
  readonly data: Float32Array;
  readonly #index: ReadonlyMap<string, number>;

  /**
   * @throws {TextPreprocessError} `INVALID_ARGUMENT` when `words` is not an array of strings,
   *   `data` not a `Float32Array`, or `data.length` is not `words.length × dim`.
   */
  constructor(words: readonly string[], data: Float32Array, dim: number) {
    if (!Array.isArray(words)) {
      throw invalid('words', `words: expected an array of strings, got ${show(words)}`);
    }
    words.forEach((w: unknown, i) => {
      if (typeof w !== 'string') {
        throw invalid('words', `words[${i}]: expected a string, got ${show(w)}`);
      }
    });
    if (!(data instanceof Float32Array)) {
      throw invalid('data', `data: expected a Float32Array, got ${show(data)}`);
    }
    if (!Number.isInteger(dim) || dim < 1 || data.length !== words.length * dim) {
      throw invalid('data', `data: expected ${words.length} × ${dim} values, got ${data.length}`);
    }
    this.dim = dim;
    this.words = Object.freeze([...words]);
    this.data = data;
    const index = new Map<string, number>();
    // The first occurrence wins, as in gensim's KeyedVectors.
    words.forEach((w, i) => {
      if (!index.has(w)) index.set(w, i);
    });
    this.#index = index;
  }

  /**
   * Parses lines of the GloVe format (`word v1 v2 …`) or the word2vec/fastText text format (the
   * same after a `count dim` header line, whose counts are checked against the lines).
   * Fields are separated by single spaces; values are decimal numbers (`-0.5`, `.5`, `1e-3`)
   * that stay finite in float32. A word may contain spaces (GloVe 840B has `. . .`): on a line
   * with more fields than the dimension (the header's, or else the first line's), the leading
   * fields form the word, unless the last of them is a number too, which is read as a line with
   * too many values.
   * @throws {TextPreprocessError} `INVALID_ARGUMENT` (argument `lines`, the message starting
   *   `line N:`) for a line with fewer or more values than the dimension, an empty field, a value
   *   that is not a finite decimal number (`NaN`, `inf`, `0x1A`, `1e999`) or overflows float32,
   *   a header with dimension 0, a header whose vector count the lines do not match, or no vector
   *   line and no header at all (an empty or blank source).
   */
  static fromLines(lines: Iterable<string>, options: WordVectorsParseOptions = {}): WordVectors {
    checkIterable(lines, 'lines', 'an iterable of lines');
    const parser = new WordVectorParser(options);
    for (const line of lines) parser.push(line);
    return parser.finish();
  }

  /**
   * Rebuilds vectors from {@link toJSON}'s output (object or JSON string).
   * @throws {TextPreprocessError} `BAD_JSON` (argument `json`, the field named in the message)
   *   for another `className`, a `dim` that is not a positive integer, a word that is not a
   *   string, a value that is not a finite float32 number, or `words.length × dim` values not
   *   matching `vectors.length`.
   */
  static fromJSON(json: WordVectorsJSON | string): WordVectors {
    const { dim, words, vectors } = readClassJson(
      json,
      'WordVectors',
      ['words', 'vectors'],
      "{ className: 'WordVectors', dim, words, vectors }",
    );
    if (typeof dim !== 'number' || !Number.isSafeInteger(dim) || dim < 1) {
      throw badJson(`json.dim: expected a positive integer, got ${show(dim)}`);
    }
    words.forEach((w: unknown, i) => {
      if (typeof w !== 'string')
        throw badJson(`json.words[${i}]: expected a string, got ${show(w)}`);
    });
    if (vectors.length !== words.length * dim) {
      throw badJson(
        `json.vectors: expected ${words.length} × ${dim} = ${words.length * dim} values, got ${vectors.length}`,
      );
    }
    vectors.forEach((x: unknown, i) => {
      if (typeof x !== 'number' || !Number.isFinite(x)) {
        throw badJson(`json.vectors[${i}]: expected a finite number, got ${show(x)}`);
      }
      if (!fitsFloat32(x)) {
        throw badJson(`json.vectors[${i}]: expected a number within float32 range, got ${show(x)}`);
      }
    });
    return new WordVectors(words, Float32Array.from(vectors), dim);
  }

  /** Number of words. */
  get size(): number {
    return this.words.length;
  }

  /** Whether there is a vector for `word`. */
  has(word: string): boolean {
    return this.#index.has(word);
  }

  /** The vector of `word` (a view into {@link data}), or `undefined`. */
  get(word: string): Float32Array | undefined {
    const i = this.#index.get(word);
    return i === undefined ? undefined : this.data.subarray(i * this.dim, (i + 1) * this.dim);
  }

  /** A plain object that {@link WordVectors.fromJSON} turns back into these vectors. */
  toJSON(): WordVectorsJSON {
    return {
      className: 'WordVectors',
      dim: this.dim,
      words: [...this.words],
      vectors: Array.from(this.data),
    };
  }
}

/** Options for parsing word vectors ({@link WordVectors.fromLines}, {@link loadWordVectors}). */
export interface WordVectorsParseOptions {
  /** Stop after this many vectors. @default all */
  limit?: number;
  /** Keep only these words (for instance a tokenizer's `wordIndex.keys()`). @default all */
  words?: Iterable<string>;
}

/** A decimal number as GloVe and word2vec write them: no hex, no `NaN`, no `inf`. */
const decimal = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Incremental parser shared by `fromLines` and the streamed loader (internal). */
export class WordVectorParser {
  readonly #limit: number;
  readonly #keep: ReadonlySet<string> | undefined;
  #dim = 0;
  /** The vector count of a word2vec header, when there is one. */
  #headerCount: number | undefined;
  #lineNumber = 0;
  /** Vector lines read, kept or not. */
  #vectorLines = 0;
  #words: string[] = [];
  #chunks: Float32Array[] = [];
  #chunk: Float32Array = new Float32Array(0);
  #filled = 0;

  constructor({ limit, words }: WordVectorsParseOptions = {}) {
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
      throw invalid('limit', `limit: expected a non-negative integer, got ${show(limit)}`);
    }
    if (words !== undefined && (typeof words === 'string' || !isIterable(words))) {
      throw invalid('words', `words: expected an iterable of words, got ${show(words)}`);
    }
    this.#limit = limit ?? Number.POSITIVE_INFINITY;
    this.#keep = words === undefined ? undefined : new Set(words);
  }

  /** Whether `limit` vectors have been read. */
  get done(): boolean {
    return this.#words.length >= this.#limit;
  }

  push(line: string): void {
    this.#lineNumber += 1;
    if (this.done) return;
    if (typeof line !== 'string') this.#fail(`expected a line of text, got ${show(line)}`);
    // A byte-order mark that a string source (or fromLines) leaves in front of the first line.
    if (this.#lineNumber === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    const trimmed = line.trimEnd();
    if (trimmed.length === 0) return;
    const parts = trimmed.split(' ');
    const empty = parts.indexOf('');
    if (empty !== -1) {
      this.#fail(
        `expected fields separated by single spaces, got an empty field (field ${empty + 1})`,
      );
    }
    // word2vec / fastText text files start with "count dim".
    if (
      this.#lineNumber === 1 &&
      parts.length === 2 &&
      /^\d+$/.test(parts[0]) &&
      /^\d+$/.test(parts[1])
    ) {
      const count = Number(parts[0]);
      const dim = Number(parts[1]);
      if (dim < 1 || !Number.isSafeInteger(count) || !Number.isSafeInteger(dim)) {
        this.#fail(`expected a header "count dim" with dim >= 1, got ${show(trimmed)}`);
      }
      this.#headerCount = count;
      this.#dim = dim;
      return;
    }
    if (this.#headerCount !== undefined && this.#vectorLines >= this.#headerCount) {
      this.#fail(
        `expected ${this.#headerCount} vectors as the word2vec header on line 1 says, got more`,
      );
    }
    this.#vectorLines += 1;
    const whose = this.#headerCount === undefined ? '' : ' (the dimension in the header on line 1)';
    let dim = this.#dim;
    if (dim === 0) {
      if (parts.length < 2) {
        this.#fail(`expected a word and at least one value, got ${show(trimmed)}`);
      }
      dim = parts.length - 1;
    }
    if (parts.length - 1 < dim) {
      this.#fail(`expected ${dim} values after the word${whose}, got ${parts.length - 1}`);
    }
    const first = parts.length - dim;
    const values = new Float32Array(dim);
    for (let k = first; k < parts.length; k++) {
      const text = parts[k];
      const v = decimal.test(text) ? Number(text) : Number.NaN;
      if (!Number.isFinite(v)) this.#fail(`expected a finite decimal number, got ${show(text)}`);
      if (!fitsFloat32(v)) this.#fail(`expected a number within float32 range, got ${show(text)}`);
      values[k - first] = v;
    }
    if (first > 1 && decimal.test(parts[first - 1])) {
      // The "word" would end in a number: more likely a vector longer than the others.
      let n = dim;
      while (n < parts.length - 1 && decimal.test(parts[parts.length - 1 - n])) n += 1;
      this.#fail(`expected ${dim} values after the word${whose}, got ${n}`);
    }
    this.#dim = dim;
    const word = first === 1 ? parts[0] : parts.slice(0, first).join(' ');
    if (this.#keep && !this.#keep.has(word)) return;
    if (this.#filled + dim > this.#chunk.length) {
      if (this.#filled > 0) this.#chunks.push(this.#chunk.subarray(0, this.#filled));
      this.#chunk = new Float32Array(Math.max(dim * 4096, dim));
      this.#filled = 0;
    }
    this.#chunk.set(values, this.#filled);
    this.#filled += dim;
    this.#words.push(word);
  }

  finish(): WordVectors {
    if (this.#headerCount === undefined && this.#vectorLines === 0 && this.#limit > 0) {
      // An empty (or blank) file, such as a download cut at byte 0, would give 0 vectors of a
      // made-up dimension 1, and an embedding matrix of zeros one column wide.
      throw invalid(
        'lines',
        `line ${this.#lineNumber}: expected at least one vector line ("word v1 v2 …") or a word2vec header, got ${this.#lineNumber === 0 ? 'no line' : 'only blank lines'}`,
      );
    }
    if (this.#headerCount !== undefined && !this.done && this.#vectorLines !== this.#headerCount) {
      this.#fail(
        `expected ${this.#headerCount} vectors as this word2vec header says, got ${this.#vectorLines}`,
        1,
      );
    }
    if (this.#filled > 0) this.#chunks.push(this.#chunk.subarray(0, this.#filled));
    const data = new Float32Array(this.#words.length * this.#dim);
    let offset = 0;
    for (const chunk of this.#chunks) {
      data.set(chunk, offset);
      offset += chunk.length;
    }
    return new WordVectors(this.#words, data, Math.max(this.#dim, 1));
  }

  #fail(message: string, line = this.#lineNumber): never {
    throw invalid('lines', `line ${line}: ${message}`);
  }
}
