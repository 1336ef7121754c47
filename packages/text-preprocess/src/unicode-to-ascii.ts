import { invalid, show } from './validate';

/**
 * The letters kept by the PyTorch "Classifying Names with a Character-Level RNN" tutorial:
 * Python's `string.ascii_letters + " .,;'"`, that is `a`–`z`, `A`–`Z`, space, full stop, comma,
 * semicolon and apostrophe (57 characters, in this order).
 */
export const NAME_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ .,;'";

/** Options for {@link unicodeToAscii}. */
export interface UnicodeToAsciiOptions {
  /**
   * The characters to keep after the combining marks are removed; every other character is
   * dropped. @default {@link NAME_LETTERS} (the PyTorch names tutorial's `all_letters`)
   */
  letters?: string;
}

const combiningMark = /\p{Mn}/u;

/**
 * Turns Unicode text into plain letters as the PyTorch names tutorial's `unicodeToAscii` does:
 * the text is decomposed (NFD), every non-spacing combining mark (Unicode category `Mn`) is
 * removed, and then every character that is not in `letters` is dropped. So `é` becomes `e` and
 * `Ś` becomes `S`, while characters without an ASCII decomposition (`ß`, `ł`, a no-break space)
 * and anything outside `letters` (digits, `-`, `/`, `:` with the default letters) disappear.
 * @example
 * ```ts
 * import { unicodeToAscii } from '@seqlearn/text-preprocess';
 * console.log(unicodeToAscii('Ślusàrski')); // Slusarski
 * console.log(unicodeToAscii('Weiß-Müller')); // WeiMuller
 * ```
 * @throws {TextPreprocessError} `INVALID_ARGUMENT` when `text` or `letters` is not a string or
 *   `options` is not an object.
 */
export function unicodeToAscii(text: string, options: UnicodeToAsciiOptions = {}): string {
  if (typeof text !== 'string') {
    throw invalid('text', `text: expected a string, got ${show(text)}`);
  }
  if (typeof options !== 'object' || options === null) {
    throw invalid('options', `options: expected an object or undefined, got ${show(options)}`);
  }
  const { letters = NAME_LETTERS } = options;
  if (typeof letters !== 'string') {
    // new Set(['a', 'b']) would work by accident, new Set(5) would throw a TypeError
    throw invalid(
      'letters',
      `letters: expected a string of the characters to keep, got ${show(letters)}`,
    );
  }
  const keep = new Set(letters);
  let out = '';
  for (const char of text.normalize('NFD')) {
    if (!combiningMark.test(char) && keep.has(char)) out += char;
  }
  return out;
}
