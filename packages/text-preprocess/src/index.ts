export {
  CharAlphabet,
  type CharAlphabetFromCorpusOptions,
  type CharAlphabetJSON,
  type CharAlphabetOptions,
  type UnknownCharPolicy,
} from './char-alphabet';
export { TextPreprocessError, type TextPreprocessErrorCode } from './errors';
export { type OneHotArray, type OneHotOptions, oneHot, oneHotArray } from './one-hot';
export { NAME_LETTERS, type UnicodeToAsciiOptions, unicodeToAscii } from './unicode-to-ascii';
