import { TextPreprocessError } from './errors';
import type { Tokenizer } from './tokenizer';
import { invalid, show } from './validate';
import type { Vocabulary } from './vocabulary';
import type { WordVectors } from './word-vectors';

/** Options for {@link buildEmbeddingMatrix}. */
export interface BuildEmbeddingMatrixOptions {
  /**
   * Number of rows. @default a tokenizer's `numWords` when set, otherwise the largest index + 1
   * (a vocabulary's `size`)
   */
  rows?: number;
  /** Also try the lower-cased word when the word itself has no vector. @default false */
  lowerFallback?: boolean;
}

/** What {@link buildEmbeddingMatrix} returns. */
export interface EmbeddingMatrix {
  /** Row-major `[rows, dim]` weights; rows without a vector (padding, OOV, misses) are zeros. */
  matrix: Float32Array;
  shape: [number, number];
  /** Words (below `rows`) that got a vector. */
  hits: number;
  /** Words (below `rows`) that did not, in index order. */
  missing: string[];
  /** `hits / (hits + missing.length)`, 0 when there are no words. */
  coverage: number;
}

/**
 * Builds the weights of an embedding layer aligned to a tokenizer's (or vocabulary's) indices:
 * row `i` is the vector of the word with index `i`, as in the Keras guide "Using pre-trained
 * word embeddings". The OOV token, a vocabulary's `specials` and row 0 stay zero and are not
 * counted in the coverage. Pass the result to `tf.tensor2d(matrix, shape)`.
 * @example
 * ```ts
 * import { Tokenizer, WordVectors, buildEmbeddingMatrix } from '@seqlearn/text-preprocess';
 * const tokenizer = new Tokenizer();
 * tokenizer.fitOnTexts(['the cat', 'the dog']);
 * const vectors = WordVectors.fromLines(['the 1 0', 'cat 0 1']);
 * const { shape, coverage, missing } = buildEmbeddingMatrix(tokenizer, vectors);
 * console.log(shape, coverage, missing); // [ 4, 2 ] 0.6666666666666666 [ 'dog' ]
 * ```
 * @throws {TextPreprocessError} `INVALID_ARGUMENT` for a bad `rows`, a `tokenizer` that is no
 *   Tokenizer, Vocabulary or Map, a Map whose indices are not distinct non-negative integers (1.5
 *   would land in row 1, two words of one index in one row), `vectors` without `dim` and `get`, or
 *   options that are not an object.
 */
export function buildEmbeddingMatrix(
  tokenizer: Tokenizer | Vocabulary | ReadonlyMap<string, number>,
  vectors: WordVectors,
  options: BuildEmbeddingMatrixOptions = {},
): EmbeddingMatrix {
  if (typeof options !== 'object' || options === null) {
    throw invalid('options', `options: expected an object or undefined, got ${show(options)}`);
  }
  const { rows, lowerFallback = false } = options;
  if (typeof tokenizer !== 'object' || tokenizer === null) {
    throw invalid(
      'tokenizer',
      `tokenizer: expected a Tokenizer, a Vocabulary or a Map of words to indices, got ${show(tokenizer)}`,
    );
  }
  if (
    typeof vectors !== 'object' ||
    vectors === null ||
    typeof vectors.get !== 'function' ||
    !Number.isInteger(vectors.dim)
  ) {
    throw invalid(
      'vectors',
      `vectors: expected WordVectors (with dim and get), got ${show(vectors)}`,
    );
  }
  let index: ReadonlyMap<string, number>;
  const skip = new Set<string>();
  let defaultRows: number;
  if (tokenizer instanceof Map) {
    index = tokenizer;
    let largest = 0;
    const seen = new Map<number, string>();
    for (const [word, i] of index) {
      if (typeof word !== 'string' || typeof i !== 'number' || !Number.isInteger(i) || i < 0) {
        throw invalid(
          'tokenizer',
          `tokenizer: expected a Map of string words to non-negative integer indices, got ${show(i)} for ${show(word)}`,
        );
      }
      const other = seen.get(i);
      if (other !== undefined && i > 0) {
        throw invalid(
          'tokenizer',
          `tokenizer: expected one word per index, got ${show(other)} and ${show(word)} at index ${i}`,
        );
      }
      seen.set(i, word);
      if (i > largest) largest = i;
    }
    defaultRows = largest + 1;
  } else if ('wordIndex' in tokenizer) {
    index = tokenizer.wordIndex;
    if (tokenizer.oovToken !== null) skip.add(tokenizer.oovToken);
    defaultRows = tokenizer.vocabularySize;
  } else if ('tokenIndex' in tokenizer) {
    const vocabulary = tokenizer as Vocabulary;
    index = vocabulary.tokenIndex;
    if (vocabulary.oovToken !== null) skip.add(vocabulary.oovToken);
    for (const special of vocabulary.specials) skip.add(special);
    defaultRows = vocabulary.size;
  } else {
    throw invalid(
      'tokenizer',
      `tokenizer: expected a Tokenizer, a Vocabulary or a Map of words to indices, got ${show(tokenizer)}`,
    );
  }
  const height = rows ?? defaultRows;
  if (!Number.isInteger(height) || height < 1) {
    throw new TextPreprocessError({
      code: 'INVALID_ARGUMENT',
      argument: 'rows',
      message: `rows: expected a positive integer, got ${String(height)}`,
    });
  }
  const dim = vectors.dim;
  const matrix = new Float32Array(height * dim);
  let hits = 0;
  const missing: string[] = [];
  const entries = [...index].filter(([w, i]) => i > 0 && i < height && !skip.has(w));
  entries.sort((a, b) => a[1] - b[1]);
  for (const [word, i] of entries) {
    const vector =
      vectors.get(word) ?? (lowerFallback ? vectors.get(word.toLowerCase()) : undefined);
    if (vector) {
      matrix.set(vector, i * dim);
      hits += 1;
    } else missing.push(word);
  }
  const total = hits + missing.length;
  return { matrix, shape: [height, dim], hits, missing, coverage: total === 0 ? 0 : hits / total };
}
