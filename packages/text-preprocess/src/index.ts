export {
  type BuildEmbeddingMatrixOptions,
  buildEmbeddingMatrix,
  type EmbeddingMatrix,
} from './build-embedding-matrix';
export {
  CharAlphabet,
  type CharAlphabetFromCorpusOptions,
  type CharAlphabetJSON,
  type CharAlphabetOptions,
  type UnknownCharPolicy,
} from './char-alphabet';
export { TextPreprocessError, type TextPreprocessErrorCode } from './errors';
export { type LengthStats, type LengthStatsOptions, lengthStats } from './length-stats';
export { type LoadWordVectorsOptions, loadWordVectors } from './load-word-vectors';
export { type OneHotArray, type OneHotOptions, oneHot, oneHotArray } from './one-hot';
export {
  type PaddedArray,
  type PadSequencesDtype,
  type PadSequencesOptions,
  padSequences,
} from './pad-sequences';
export { type TokenizeOptions, tokenize, type WordTokenizerName } from './tokenize';
export {
  KERAS_FILTERS,
  type KerasTokenizerJSON,
  Tokenizer,
  type TokenizerMatrixMode,
  type TokenizerOptions,
  textToWordSequence,
} from './tokenizer';
export { NAME_LETTERS, type UnicodeToAsciiOptions, unicodeToAscii } from './unicode-to-ascii';
export {
  Vocabulary,
  type VocabularyFromCorpusOptions,
  type VocabularyJSON,
  type VocabularyOptions,
} from './vocabulary';
export { WordVectors, type WordVectorsJSON, type WordVectorsParseOptions } from './word-vectors';
