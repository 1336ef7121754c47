// Only these deep modules of `natural` are loaded: `import 'natural'` pulls in its whole index
// (classifiers, WordNet, database adapters, dotenv) and takes about a second, these a few ms.
// The treebank rules are carried over in treebank-word-tokenizer.ts (natural's module needs
// Node's `util`); the modules imported here are plain JavaScript that bundles for the browser.

import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import AggressiveTokenizer from 'natural/lib/natural/tokenizers/aggressive_tokenizer.js';
import regexpTokenizers from 'natural/lib/natural/tokenizers/regexp_tokenizer.js';
import naturalStopwords from 'natural/lib/natural/util/stopwords.js';
import { TextPreprocessError } from './errors';
import { treebankWordTokenize } from './treebank-word-tokenizer';

/**
 * Word tokenizers of `natural`: `'word'` (`WordTokenizer`: splits on anything but `A-Z a-z`,
 * Cyrillic, digits and `_`, so accented letters split words), `'treebank'`
 * (the rules of `TreebankWordTokenizer`: Penn Treebank, `"can't"` → `ca`, `n't`, punctuation kept as
 * tokens), `'aggressive'` (`AggressiveTokenizer`: splits on anything but `A-Z a-z 0-9 ' - /`).
 */
export type WordTokenizerName = 'word' | 'treebank' | 'aggressive';

/** Options for {@link tokenize}. */
export interface TokenizeOptions {
  /** Which `natural` tokenizer splits the text. @default 'word' */
  tokenizer?: WordTokenizerName;
  /** Lower-case every token. @default true */
  lower?: boolean;
  /**
   * Remove stop words (compared in lower case): `true` or `'english'` uses `natural`'s English
   * list (170 words), an array uses those words. @default false
   */
  stopWords?: boolean | 'english' | readonly string[];
  /** Reduce each token to its Porter stem (`natural`'s `PorterStemmer`, which lower-cases). @default false */
  stem?: boolean;
}

const tokenizers: Record<WordTokenizerName, { tokenize(text: string): string[] }> = {
  word: new regexpTokenizers.WordTokenizer(),
  treebank: { tokenize: treebankWordTokenize },
  aggressive: new AggressiveTokenizer(),
};

let englishStopWords: ReadonlySet<string> | undefined;

/**
 * Splits `text` into word tokens with a tokenizer of `natural`, then lower-cases, removes stop
 * words and stems, in that order. Gives `Tokenizer` an `analyzer` when Keras' filter-and-split
 * rule is too crude.
 * @example
 * ```ts
 * import { tokenize } from '@seqlearn/text-preprocess';
 * console.log(tokenize("The runners can't stop running!", { tokenizer: 'treebank' }));
 * // [ 'the', 'runners', 'ca', "n't", 'stop', 'running', '!' ]
 * console.log(tokenize('The runners were running', { stopWords: true, stem: true }));
 * // [ 'runner', 'run' ]
 * ```
 * @throws {TextPreprocessError} `INVALID_ARGUMENT` for an unknown tokenizer or bad `stopWords`.
 */
export function tokenize(
  text: string,
  { tokenizer = 'word', lower = true, stopWords = false, stem = false }: TokenizeOptions = {},
): string[] {
  if (typeof text !== 'string') {
    throw new TextPreprocessError({
      code: 'INVALID_ARGUMENT',
      argument: 'text',
      message: `text: expected a string, got ${typeof text}`,
    });
  }
  const splitter = Object.hasOwn(tokenizers, tokenizer) ? tokenizers[tokenizer] : undefined;
  if (!splitter) {
    throw new TextPreprocessError({
      code: 'INVALID_ARGUMENT',
      argument: 'tokenizer',
      message: `tokenizer: expected 'word', 'treebank' or 'aggressive', got ${JSON.stringify(tokenizer)}`,
    });
  }
  let tokens = splitter.tokenize(text);
  if (lower) tokens = tokens.map((t) => t.toLowerCase());
  if (stopWords !== false) {
    let stop: ReadonlySet<string>;
    if (stopWords === true || stopWords === 'english') {
      englishStopWords ??= new Set(naturalStopwords.words);
      stop = englishStopWords;
    } else if (Array.isArray(stopWords)) {
      stop = new Set(stopWords.map((w: string) => w.toLowerCase()));
    } else {
      throw new TextPreprocessError({
        code: 'INVALID_ARGUMENT',
        argument: 'stopWords',
        message: `stopWords: expected a boolean, 'english' or an array of words, got ${JSON.stringify(stopWords)}`,
      });
    }
    tokens = tokens.filter((t) => !stop.has(t.toLowerCase()));
  }
  if (stem) tokens = tokens.map((t) => PorterStemmer.stem(t));
  return tokens;
}
