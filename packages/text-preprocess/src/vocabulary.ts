import { readClassJson } from './class-json';
import { TextPreprocessError } from './errors';
import { badJson, checkIterable, invalid, isIterable, show } from './validate';

/** Options for `new Vocabulary(tokens, options)`. */
export interface VocabularyOptions {
  /**
   * Token that every unknown token maps to; it must be one of the tokens (or specials). `null`
   * makes looking up an unknown token an error. @default '<unk>'
   */
  oovToken?: string | null;
  /**
   * Which of the tokens are special (padding, OOV, sentence marks); they must be among the tokens.
   * {@link buildEmbeddingMatrix} leaves their rows at zero. @default []
   */
  specials?: readonly string[];
}

/** Options for {@link Vocabulary.fromCorpus}. */
export interface VocabularyFromCorpusOptions extends VocabularyOptions {
  /**
   * Tokens placed first, in this order, whatever their counts: by default padding at index 0 and
   * the OOV token at index 1. @default ['<pad>', '<unk>']
   */
  specials?: readonly string[];
  /** Keep only tokens seen at least this many times. @default 1 */
  minFreq?: number;
  /** Largest vocabulary size, specials included; the most frequent tokens are kept. @default unlimited */
  maxSize?: number;
}

/** The JSON written by {@link Vocabulary.toJSON}. */
export interface VocabularyJSON {
  className: 'Vocabulary';
  tokens: string[];
  oovToken: string | null;
  specials: string[];
}

/**
 * A token ↔ index table with special tokens and a lookup that maps unknown tokens to an OOV
 * index, in the manner of torchtext's `build_vocab_from_iterator` + `set_default_index`.
 * @example
 * ```ts
 * import { Vocabulary } from '@seqlearn/text-preprocess';
 * const vocab = Vocabulary.fromCorpus([['a', 'b', 'a'], ['c', 'a', 'b']], { minFreq: 2 });
 * console.log(vocab.tokens, vocab.encode(['a', 'z', 'b'])); // [ '<pad>', '<unk>', 'a', 'b' ] [ 2, 1, 3 ]
 * ```
 */
export class Vocabulary {
  /** The token unknown tokens map to, or `null`. */
  readonly oovToken: string | null;
  /** The special tokens. */
  readonly specials: readonly string[];
  readonly #tokens: readonly string[];
  readonly #index: ReadonlyMap<string, number>;

  /**
   * @param tokens The tokens in index order, specials included.
   * @throws {TextPreprocessError} `INVALID_ARGUMENT` for a token that is not a string or is
   *   repeated, or an `oovToken` or special that is not among the tokens.
   */
  constructor(
    tokens: Iterable<string>,
    { oovToken = '<unk>', specials = [] }: VocabularyOptions = {},
  ) {
    checkIterable(tokens, 'tokens', 'an iterable of tokens', { allowString: true });
    if (oovToken !== null && typeof oovToken !== 'string') {
      throw invalid('oovToken', `oovToken: expected a string or null, got ${show(oovToken)}`);
    }
    if (!Array.isArray(specials)) {
      throw invalid('specials', `specials: expected an array of tokens, got ${show(specials)}`);
    }
    const list = [...tokens];
    const index = new Map<string, number>();
    list.forEach((token, i) => {
      if (typeof token !== 'string') {
        throw invalid('tokens', `tokens: expected strings, got ${typeof token} at position ${i}`);
      }
      if (index.has(token)) {
        throw invalid(
          'tokens',
          `tokens: expected distinct tokens, got ${JSON.stringify(token)} twice`,
        );
      }
      index.set(token, i);
    });
    if (oovToken !== null && !index.has(oovToken)) {
      throw invalid(
        'oovToken',
        `oovToken: expected one of the tokens or null, got ${JSON.stringify(oovToken)}`,
      );
    }
    for (const special of specials) {
      if (!index.has(special)) {
        throw invalid(
          'specials',
          `specials: expected tokens of the vocabulary, got ${JSON.stringify(special)}`,
        );
      }
    }
    this.oovToken = oovToken;
    this.specials = Object.freeze([...specials]);
    this.#tokens = Object.freeze(list);
    this.#index = index;
  }

  /**
   * Counts the tokens of a corpus (one array of tokens per document) and keeps the specials
   * followed by the tokens seen at least `minFreq` times, by descending count with ties in order
   * of first appearance, up to `maxSize` in all.
   * @throws {TextPreprocessError} `INVALID_ARGUMENT` for a bad `minFreq` or `maxSize`, or a
   *   `maxSize` smaller than the number of specials; (argument `corpus`) for a corpus that is not
   *   an iterable of token arrays (a string document is its characters) or a token that is not a
   *   string.
   */
  static fromCorpus(
    corpus: Iterable<Iterable<string>>,
    {
      specials = ['<pad>', '<unk>'],
      minFreq = 1,
      maxSize,
      oovToken = '<unk>',
    }: VocabularyFromCorpusOptions = {},
  ): Vocabulary {
    if (!Number.isInteger(minFreq) || minFreq < 1) {
      throw invalid('minFreq', `minFreq: expected an integer >= 1, got ${String(minFreq)}`);
    }
    if (maxSize !== undefined && (!Number.isInteger(maxSize) || maxSize < specials.length)) {
      throw invalid(
        'maxSize',
        `maxSize: expected an integer >= ${specials.length} (the number of specials), got ${String(maxSize)}`,
      );
    }
    checkIterable(corpus, 'corpus', 'an iterable of token arrays', { allowString: true });
    const counts = new Map<string, number>();
    let i = 0;
    for (const doc of corpus as Iterable<unknown>) {
      // A string is taken as its characters, for character vocabularies.
      if (!isIterable(doc)) {
        throw invalid('corpus', `corpus[${i}]: expected an array of tokens, got ${show(doc)}`);
      }
      let k = 0;
      for (const token of doc) {
        if (typeof token !== 'string') {
          throw invalid(
            'corpus',
            `corpus[${i}][${k}]: expected a string token, got ${show(token)}`,
          );
        }
        counts.set(token, (counts.get(token) ?? 0) + 1);
        k += 1;
      }
      i += 1;
    }
    const special = new Set(specials);
    let kept = [...counts]
      .filter(([token, n]) => n >= minFreq && !special.has(token))
      .sort((a, b) => b[1] - a[1])
      .map(([token]) => token);
    if (maxSize !== undefined) kept = kept.slice(0, maxSize - specials.length);
    return new Vocabulary([...specials, ...kept], { oovToken, specials });
  }

  /**
   * Rebuilds a vocabulary from {@link toJSON}'s output (object or JSON string).
   * @throws {TextPreprocessError} `BAD_JSON` (argument `json`, the field named in the message)
   *   for another `className`, tokens that are not distinct strings, a missing or unknown
   *   `oovToken`, or `specials` that are not an array of the tokens.
   */
  static fromJSON(json: VocabularyJSON | string): Vocabulary {
    const { tokens, oovToken, specials } = readClassJson(
      json,
      'Vocabulary',
      ['tokens'],
      "{ className: 'Vocabulary', tokens: [...], oovToken, specials: [...] }",
    );
    const seen = new Set<string>();
    tokens.forEach((token: unknown, i) => {
      if (typeof token !== 'string') {
        throw badJson(`json.tokens[${i}]: expected a string, got ${show(token)}`);
      }
      if (seen.has(token)) {
        throw badJson(`json.tokens[${i}]: expected distinct tokens, got ${show(token)} twice`);
      }
      seen.add(token);
    });
    if (oovToken !== null && typeof oovToken !== 'string') {
      throw badJson(`json.oovToken: expected a string or null, got ${show(oovToken)}`);
    }
    if (oovToken !== null && !seen.has(oovToken)) {
      throw badJson(`json.oovToken: expected one of the tokens or null, got ${show(oovToken)}`);
    }
    if (!Array.isArray(specials)) {
      throw badJson(`json.specials: expected an array of tokens, got ${show(specials)}`);
    }
    specials.forEach((special: unknown, i) => {
      if (typeof special !== 'string' || !seen.has(special)) {
        throw badJson(`json.specials[${i}]: expected one of the tokens, got ${show(special)}`);
      }
    });
    return new Vocabulary(tokens, { oovToken, specials });
  }

  /** Number of tokens, specials included. */
  get size(): number {
    return this.#tokens.length;
  }
  /** The tokens in index order. */
  get tokens(): readonly string[] {
    return this.#tokens;
  }
  /** Index of the OOV token, or `undefined` without one. */
  get oovIndex(): number | undefined {
    return this.oovToken === null ? undefined : this.#index.get(this.oovToken);
  }
  /** Token → index, for {@link buildEmbeddingMatrix} and the like. */
  get tokenIndex(): ReadonlyMap<string, number> {
    return this.#index;
  }

  /** Whether `token` is in the vocabulary. */
  has(token: string): boolean {
    return this.#index.has(token);
  }

  /**
   * Index of `token`; an unknown token gives the OOV index.
   * @throws {TextPreprocessError} `UNKNOWN_TOKEN` for an unknown token when there is no OOV token;
   *   `INVALID_ARGUMENT` for a token that is not a string.
   */
  indexOf(token: string): number {
    if (typeof token !== 'string') {
      throw invalid('token', `token: expected a string, got ${show(token)}`);
    }
    const i = this.#index.get(token);
    if (i !== undefined) return i;
    if (this.oovToken !== null) return this.#index.get(this.oovToken)!;
    throw new TextPreprocessError({
      code: 'UNKNOWN_TOKEN',
      argument: 'token',
      message: `token: expected a token of the vocabulary (it has no OOV token), got ${JSON.stringify(token)}`,
    });
  }

  /**
   * Token at `index`.
   * @throws {TextPreprocessError} `INVALID_ARGUMENT` for an index outside `[0, size)`.
   */
  tokenAt(index: number): string {
    if (!Number.isInteger(index) || index < 0 || index >= this.#tokens.length) {
      throw invalid(
        'index',
        `index: expected an integer in [0, ${this.#tokens.length}), got ${index}`,
      );
    }
    return this.#tokens[index];
  }

  /**
   * {@link indexOf} for each token.
   * @throws {TextPreprocessError} `INVALID_ARGUMENT` when `tokens` is not an iterable of strings;
   *   `UNKNOWN_TOKEN` for an unknown token when there is no OOV token.
   */
  encode(tokens: Iterable<string>): number[] {
    checkIterable(tokens, 'tokens', 'an iterable of tokens', { allowString: true });
    return Array.from(tokens, (t) => this.indexOf(t));
  }

  /**
   * {@link tokenAt} for each index.
   * @throws {TextPreprocessError} `INVALID_ARGUMENT` when `ids` is not an iterable or an index is
   *   not an integer in `[0, size)`.
   */
  decode(ids: Iterable<number>): string[] {
    checkIterable(ids, 'ids', 'an iterable of indices');
    return Array.from(ids, (i) => this.tokenAt(i));
  }

  /** A plain object that {@link Vocabulary.fromJSON} turns back into this vocabulary. */
  toJSON(): VocabularyJSON {
    return {
      className: 'Vocabulary',
      tokens: [...this.#tokens],
      oovToken: this.oovToken,
      specials: [...this.specials],
    };
  }
}
