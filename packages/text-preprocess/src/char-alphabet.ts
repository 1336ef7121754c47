import { readClassJson } from './class-json';
import { TextPreprocessError } from './errors';
import { badJson, checkIterable, invalid, show } from './validate';

/**
 * What {@link CharAlphabet.encode} does with a character that is not in the alphabet:
 * `'error'` throws a {@link TextPreprocessError} with code `UNKNOWN_TOKEN`, `'skip'` leaves it
 * out, `'token'` writes the reserved unknown index ({@link CharAlphabet.unknownIndex}).
 */
export type UnknownCharPolicy = 'error' | 'skip' | 'token';

/** Options for `new CharAlphabet(letters, options)`. */
export interface CharAlphabetOptions {
  /** Policy for characters outside the alphabet when encoding. @default 'error' */
  unknown?: UnknownCharPolicy;
  /**
   * Reserve index 0 for padding, so that no character is encoded as 0 (as Keras' `Tokenizer` and
   * `Embedding(mask_zero=True)` expect). @default false
   */
  padding?: boolean;
  /** What {@link CharAlphabet.decode} writes for the unknown index. @default '\uFFFD' */
  unknownChar?: string;
}

/** Options for {@link CharAlphabet.fromCorpus}. */
export interface CharAlphabetFromCorpusOptions extends CharAlphabetOptions {
  /** Keep only characters seen at least this many times. @default 1 */
  minFreq?: number;
  /** Keep at most this many characters, the most frequent first (ties: first seen). @default unlimited */
  maxSize?: number;
  /**
   * Order of the kept characters, and so of their indices: `'sorted'` by code point, `'frequency'`
   * most frequent first (ties: first seen), `'firstSeen'` in order of first appearance.
   * @default 'sorted'
   */
  order?: 'sorted' | 'frequency' | 'firstSeen';
}

/** The JSON written by {@link CharAlphabet.toJSON} and read by {@link CharAlphabet.fromJSON}. */
export interface CharAlphabetJSON {
  className: 'CharAlphabet';
  /** One entry per character, in index order (reserved indices excluded). */
  letters: string[];
  unknown: UnknownCharPolicy;
  padding: boolean;
  unknownChar: string;
}

const policies: readonly UnknownCharPolicy[] = ['error', 'skip', 'token'];

/**
 * A fixed set of characters with an index for each, for character-level models.
 *
 * Indices: when `padding` is on, 0 is the padding index; when `unknown` is `'token'`, the next
 * index (0 or 1) is the unknown index; the letters follow in the order given. {@link size} counts
 * all of them, so it is the `depth` to give {@link oneHot} or the `inputDim` of an embedding.
 * Characters are Unicode code points (an emoji is one character, not two UTF-16 units).
 * @example
 * ```ts
 * import { CharAlphabet } from '@seqlearn/text-preprocess';
 * const alphabet = new CharAlphabet('abc', { unknown: 'token', padding: true });
 * console.log(alphabet.size, alphabet.encode('cab?')); // 5 [ 4, 2, 3, 1 ]
 * console.log(alphabet.decode([0, 2, 3, 1])); // ab�
 * ```
 */
export class CharAlphabet {
  /** Policy for characters outside the alphabet. */
  readonly unknown: UnknownCharPolicy;
  /** Whether index 0 is reserved for padding. */
  readonly padding: boolean;
  /** What {@link decode} writes for the unknown index. */
  readonly unknownChar: string;
  /** 0 when `padding` is on, otherwise `undefined`. */
  readonly paddingIndex: number | undefined;
  /** The reserved unknown index when `unknown` is `'token'`, otherwise `undefined`. */
  readonly unknownIndex: number | undefined;
  readonly #letters: readonly string[];
  readonly #index: ReadonlyMap<string, number>;
  readonly #offset: number;

  /**
   * @param letters The characters, in index order: a string (split into code points) or an
   *   iterable of one-character strings. Repeated characters are an error.
   * @throws {TextPreprocessError} `INVALID_ARGUMENT` for a repeated or multi-character entry, an
   *   unknown policy, or a `padding` or `unknownChar` of the wrong type.
   */
  constructor(
    letters: string | Iterable<string>,
    { unknown = 'error', padding = false, unknownChar = '\uFFFD' }: CharAlphabetOptions = {},
  ) {
    if (!policies.includes(unknown)) {
      throw invalid(
        'unknown',
        `unknown: expected 'error', 'skip' or 'token', got ${JSON.stringify(unknown)}`,
      );
    }
    if (typeof padding !== 'boolean') {
      throw invalid('padding', `padding: expected a boolean, got ${JSON.stringify(padding)}`);
    }
    if (typeof unknownChar !== 'string') {
      throw invalid('unknownChar', `unknownChar: expected a string, got ${show(unknownChar)}`);
    }
    checkIterable(letters, 'letters', 'a string or an iterable of characters', {
      allowString: true,
    });
    this.unknown = unknown;
    this.padding = padding;
    this.unknownChar = unknownChar;
    this.paddingIndex = padding ? 0 : undefined;
    this.unknownIndex = unknown === 'token' ? (padding ? 1 : 0) : undefined;
    this.#offset = (padding ? 1 : 0) + (unknown === 'token' ? 1 : 0);
    const list = typeof letters === 'string' ? Array.from(letters) : Array.from(letters);
    const index = new Map<string, number>();
    list.forEach((char, i) => {
      if (typeof char !== 'string' || Array.from(char).length !== 1) {
        throw invalid(
          'letters',
          `letters: expected single characters, got ${JSON.stringify(char)} at position ${i}`,
        );
      }
      if (index.has(char)) {
        throw invalid(
          'letters',
          `letters: expected distinct characters, got ${JSON.stringify(char)} twice`,
        );
      }
      index.set(char, i + this.#offset);
    });
    this.#letters = Object.freeze(list);
    this.#index = index;
  }

  /**
   * Builds the alphabet of every character that occurs in `texts`.
   * @example
   * ```ts
   * import { CharAlphabet } from '@seqlearn/text-preprocess';
   * const alphabet = CharAlphabet.fromCorpus(['banana', 'band'], { order: 'frequency' });
   * console.log(alphabet.letters.join('')); // anbd
   * ```
   * @throws {TextPreprocessError} `INVALID_ARGUMENT` for a bad `minFreq`, `maxSize` or `order`,
   *   or (argument `texts`) texts that are not an iterable of strings.
   */
  static fromCorpus(
    texts: Iterable<string>,
    { minFreq = 1, maxSize, order = 'sorted', ...options }: CharAlphabetFromCorpusOptions = {},
  ): CharAlphabet {
    if (!Number.isInteger(minFreq) || minFreq < 1) {
      throw invalid('minFreq', `minFreq: expected an integer >= 1, got ${String(minFreq)}`);
    }
    if (maxSize !== undefined && (!Number.isInteger(maxSize) || maxSize < 0)) {
      throw invalid('maxSize', `maxSize: expected a non-negative integer, got ${String(maxSize)}`);
    }
    if (order !== 'sorted' && order !== 'frequency' && order !== 'firstSeen') {
      throw invalid(
        'order',
        `order: expected 'sorted', 'frequency' or 'firstSeen', got ${JSON.stringify(order)}`,
      );
    }
    checkIterable(texts, 'texts', 'an iterable of strings', { allowString: true });
    const counts = new Map<string, number>();
    let i = 0;
    for (const text of texts as Iterable<unknown>) {
      if (typeof text !== 'string') {
        throw invalid('texts', `texts[${i}]: expected a string, got ${show(text)}`);
      }
      for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
      i += 1;
    }
    // Map keeps first-seen order and Array.prototype.sort is stable, so ties stay first-seen.
    let kept = [...counts].filter(([, n]) => n >= minFreq);
    if (maxSize !== undefined && kept.length > maxSize) {
      kept = [...kept].sort((a, b) => b[1] - a[1]).slice(0, maxSize);
      const keep = new Set(kept.map(([c]) => c));
      kept = [...counts].filter(([c]) => keep.has(c));
    }
    if (order === 'frequency') kept.sort((a, b) => b[1] - a[1]);
    if (order === 'sorted') kept.sort((a, b) => a[0].codePointAt(0)! - b[0].codePointAt(0)!);
    return new CharAlphabet(
      kept.map(([c]) => c),
      options,
    );
  }

  /**
   * Rebuilds an alphabet from {@link toJSON}'s output (an object or its JSON string).
   * @throws {TextPreprocessError} `BAD_JSON` (argument `json`, the field named in the message)
   *   when the input is not such JSON: another `className`, letters that are not distinct single
   *   characters, or a missing or mistyped `unknown`, `padding` or `unknownChar` (a missing
   *   `padding` would shift every index by one, so none of them is taken as a default).
   */
  static fromJSON(json: CharAlphabetJSON | string): CharAlphabet {
    const { letters, unknown, padding, unknownChar } = readClassJson(
      json,
      'CharAlphabet',
      ['letters'],
      "{ className: 'CharAlphabet', letters: [...], unknown, padding, unknownChar }",
    );
    const seen = new Set<string>();
    letters.forEach((char: unknown, i) => {
      if (typeof char !== 'string' || Array.from(char).length !== 1) {
        throw badJson(`json.letters[${i}]: expected a single character, got ${show(char)}`);
      }
      if (seen.has(char)) {
        throw badJson(`json.letters[${i}]: expected distinct characters, got ${show(char)} twice`);
      }
      seen.add(char);
    });
    if (!policies.includes(unknown as UnknownCharPolicy)) {
      throw badJson(`json.unknown: expected 'error', 'skip' or 'token', got ${show(unknown)}`);
    }
    if (typeof padding !== 'boolean') {
      throw badJson(`json.padding: expected true or false, got ${show(padding)}`);
    }
    if (typeof unknownChar !== 'string') {
      throw badJson(`json.unknownChar: expected a string, got ${show(unknownChar)}`);
    }
    return new CharAlphabet(letters, { unknown, padding, unknownChar });
  }

  /** Number of indices: the letters plus the reserved padding and unknown indices. */
  get size(): number {
    return this.#letters.length + this.#offset;
  }

  /** The characters, in index order, without the reserved indices. */
  get letters(): readonly string[] {
    return this.#letters;
  }

  /** Whether `char` is one of the letters. */
  has(char: string): boolean {
    return this.#index.has(char);
  }

  /** The index of `char`, or -1 when it is not one of the letters (whatever the policy). */
  indexOf(char: string): number {
    return this.#index.get(char) ?? -1;
  }

  /**
   * Encodes each character of `text` as its index, applying the unknown-character policy.
   * @throws {TextPreprocessError} `UNKNOWN_TOKEN` for a character outside the alphabet when the
   *   policy is `'error'` (the message gives the character, its code point and its position in
   *   code points); `INVALID_ARGUMENT` when `text` is not a string.
   */
  encode(text: string): number[] {
    if (typeof text !== 'string')
      throw invalid('text', `text: expected a string, got ${show(text)}`);
    const ids: number[] = [];
    let position = 0;
    for (const char of text) {
      const id = this.#index.get(char);
      if (id !== undefined) ids.push(id);
      else if (this.unknown === 'token') ids.push(this.unknownIndex!);
      else if (this.unknown === 'error') {
        const code = char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
        throw new TextPreprocessError({
          code: 'UNKNOWN_TOKEN',
          argument: 'text',
          message: `text: expected characters of the alphabet (unknown is 'error'), got ${JSON.stringify(char)} (U+${code}) at position ${position} of ${show(text)}`,
        });
      }
      position += 1;
    }
    return ids;
  }

  /**
   * Turns indices back into text: the padding index gives nothing, the unknown index gives
   * {@link unknownChar}.
   * @throws {TextPreprocessError} `INVALID_ARGUMENT` for an index that is not in `[0, size)`.
   */
  decode(ids: Iterable<number>): string {
    checkIterable(ids, 'ids', 'an iterable of indices');
    let out = '';
    for (const id of ids) {
      if (!Number.isInteger(id) || id < 0 || id >= this.size) {
        throw invalid('ids', `ids: expected integers in [0, ${this.size}), got ${id}`);
      }
      if (id === this.paddingIndex) continue;
      if (id === this.unknownIndex) out += this.unknownChar;
      else out += this.#letters[id - this.#offset];
    }
    return out;
  }

  /** A plain object that {@link CharAlphabet.fromJSON} turns back into this alphabet. */
  toJSON(): CharAlphabetJSON {
    return {
      className: 'CharAlphabet',
      letters: [...this.#letters],
      unknown: this.unknown,
      padding: this.padding,
      unknownChar: this.unknownChar,
    };
  }
}
