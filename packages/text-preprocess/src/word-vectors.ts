import { readClassJson } from './class-json';
import { TextPreprocessError } from './errors';

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
   * @throws {TextPreprocessError} `INVALID_ARGUMENT` when `data.length` is not `words.length × dim`.
   */
  constructor(words: readonly string[], data: Float32Array, dim: number) {
    if (!Number.isInteger(dim) || dim < 1 || data.length !== words.length * dim) {
      throw new TextPreprocessError({
        code: 'INVALID_ARGUMENT',
        argument: 'data',
        message: `data: expected ${words.length} × ${dim} values, got ${data.length}`,
      });
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
   * same after a `count dim` header line, which is recognised and skipped).
   * A word may contain spaces (GloVe 840B has some): on a line with more fields than the first,
   * the leading fields form the word.
   * @throws {TextPreprocessError} `INVALID_ARGUMENT` (argument `lines`) for a line with fewer
   *   values than the first, or a value that is not a number.
   */
  static fromLines(lines: Iterable<string>, options: WordVectorsParseOptions = {}): WordVectors {
    const parser = new WordVectorParser(options);
    for (const line of lines) parser.push(line);
    return parser.finish();
  }

  /** Rebuilds vectors from {@link toJSON}'s output (object or JSON string). */
  static fromJSON(json: WordVectorsJSON | string): WordVectors {
    const v = readClassJson(
      json,
      'WordVectors',
      ['words', 'vectors'],
      "{ className: 'WordVectors', dim, words, vectors }",
    );
    return new WordVectors(v.words, Float32Array.from(v.vectors), v.dim ?? 0);
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

/** Incremental parser shared by `fromLines` and the streamed loader (internal). */
export class WordVectorParser {
  readonly #limit: number;
  readonly #keep: ReadonlySet<string> | undefined;
  #dim = 0;
  #lineNumber = 0;
  #words: string[] = [];
  #chunks: Float32Array[] = [];
  #chunk: Float32Array = new Float32Array(0);
  #filled = 0;

  constructor({ limit, words }: WordVectorsParseOptions = {}) {
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
      throw new TextPreprocessError({
        code: 'INVALID_ARGUMENT',
        argument: 'limit',
        message: `limit: expected a non-negative integer, got ${String(limit)}`,
      });
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
    const trimmed = line.trimEnd();
    if (trimmed.length === 0) return;
    const parts = trimmed.split(' ');
    // word2vec / fastText text files start with "count dim".
    if (
      this.#lineNumber === 1 &&
      parts.length === 2 &&
      /^\d+$/.test(parts[0]) &&
      /^\d+$/.test(parts[1])
    ) {
      return;
    }
    const values = parts.length - 1;
    if (this.#dim === 0) {
      if (values < 1) {
        this.#fail(
          `expected a word and at least one value, got ${JSON.stringify(trimmed.slice(0, 40))}`,
        );
      }
      this.#dim = values;
    } else if (values < this.#dim) {
      this.#fail(`expected ${this.#dim} values after the word, got ${values}`);
    }
    const first = parts.length - this.#dim;
    const word = first === 1 ? parts[0] : parts.slice(0, first).join(' ');
    if (this.#keep && !this.#keep.has(word)) return;
    if (this.#filled + this.#dim > this.#chunk.length) {
      if (this.#filled > 0) this.#chunks.push(this.#chunk.subarray(0, this.#filled));
      this.#chunk = new Float32Array(Math.max(this.#dim * 4096, this.#dim));
      this.#filled = 0;
    }
    for (let k = first; k < parts.length; k++) {
      const v = Number(parts[k]);
      if (Number.isNaN(v) && parts[k] !== 'nan' && parts[k] !== 'NaN') {
        this.#fail(`expected numbers, got ${JSON.stringify(parts[k])}`);
      }
      this.#chunk[this.#filled++] = v;
    }
    this.#words.push(word);
  }

  finish(): WordVectors {
    if (this.#filled > 0) this.#chunks.push(this.#chunk.subarray(0, this.#filled));
    const data = new Float32Array(this.#words.length * this.#dim);
    let offset = 0;
    for (const chunk of this.#chunks) {
      data.set(chunk, offset);
      offset += chunk.length;
    }
    return new WordVectors(this.#words, data, Math.max(this.#dim, 1));
  }

  #fail(message: string): never {
    throw new TextPreprocessError({
      code: 'INVALID_ARGUMENT',
      argument: 'lines',
      message: `line ${this.#lineNumber}: ${message}`,
    });
  }
}
